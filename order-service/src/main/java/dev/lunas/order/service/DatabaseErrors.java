package dev.lunas.order.service;

import io.vertx.sqlclient.DatabaseException;
import java.util.Set;

/** Classifies database failures that a client may simply repeat. */
final class DatabaseErrors {

    // lock_not_available (lock_timeout), deadlock_detected, serialization_failure
    private static final Set<String> RETRYABLE = Set.of("55P03", "40P01", "40001");

    private DatabaseErrors() {
    }

    static boolean isRetryable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabaseException database && RETRYABLE.contains(database.getSqlState())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
