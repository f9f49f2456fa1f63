package dev.lunas.benchmark.sql;

/**
 * One record of PostgreSQL's JSON server log ({@code log_destination = jsonlog}), reduced to what the SQL capture
 * needs.
 *
 * @param position    the record's place among those read together: the order in which the server logged it,
 *                    across sessions
 * @param application the session's {@code application_name} (the launcher names each service's sessions after it)
 * @param vxid        the virtual transaction id: one value per transaction of a session
 * @param txid        the transaction id once the transaction has written, else 0
 * @param queryId     the statement's query id (as in {@code pg_stat_statements}), 0 when none was computed
 */
public record LogEntry(long position, String application, long pid, String vxid, long txid, String message, String detail,
                       long queryId) {
}
