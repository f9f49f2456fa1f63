package dev.lunas.benchmark.sql;

import java.util.List;

/**
 * One database transaction a service ran for a probed request, statements in order ({@code BEGIN} … {@code COMMIT},
 * or a single statement in autocommit).
 *
 * @param txid the transaction id PostgreSQL gave it (0 when it wrote nothing)
 */
public record CapturedTransaction(String application, long txid, List<LoggedStatement> statements) {

    public CapturedTransaction {
        statements = List.copyOf(statements);
    }

    /** The statements that do the work: everything but BEGIN and COMMIT. */
    public List<LoggedStatement> work() {
        return statements.stream().filter(s -> !s.isTransactionStart() && !s.isTransactionEnd()).toList();
    }
}
