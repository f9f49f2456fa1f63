package dev.lunas.order.service;

import dev.lunas.common.problem.Failures;
import io.vertx.sqlclient.DatabaseException;
import java.util.Set;

/** Classifies database failures that a client may simply repeat. */
final class DatabaseErrors {

    // lock_not_available (lock_timeout), deadlock_detected, serialization_failure (an immutable set rejects a
    // null lookup, hence the check before it)
    private static final Set<String> RETRYABLE = Set.of("55P03", "40P01", "40001");

    private DatabaseErrors() {
    }

    static boolean isRetryable(Throwable failure) {
        return Failures.anyCause(failure,
                cause -> cause instanceof DatabaseException database && database.getSqlState() != null
                        && RETRYABLE.contains(database.getSqlState()));
    }
}
