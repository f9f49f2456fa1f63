package dev.lunas.benchmark.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the transactions a probed request caused out of the statement log: those run by the services on the
 * request's path (by {@code application_name}) that mention one of the request's own values (its Idempotency-Key,
 * its order id). Background work (jobs, the outbox relay, other requests) never mentions them, or runs in another
 * service.
 */
public final class Capture {

    private Capture() {
    }

    /**
     * @return the matching transactions in the order they started
     * @throws IllegalStateException when one of them did not commit, or the log holds it only in part
     */
    public static List<CapturedTransaction> transactions(List<LogEntry> entries, Set<String> applications,
                                                         Collection<String> markers) {
        Map<String, List<LoggedStatement>> bySession = new LinkedHashMap<>();
        Map<String, String> applicationOf = new LinkedHashMap<>();
        for (LogEntry entry : entries) {
            if (!applications.contains(entry.application()) || entry.vxid().isEmpty()) {
                continue;
            }
            LoggedStatement.of(entry).ifPresent(statement -> {
                String key = entry.pid() + "/" + entry.vxid();
                bySession.computeIfAbsent(key, k -> new ArrayList<>()).add(statement);
                applicationOf.put(key, entry.application());
            });
        }
        List<CapturedTransaction> captured = new ArrayList<>();
        bySession.forEach((key, statements) -> {
            if (statements.stream().noneMatch(s -> markers.stream().anyMatch(s::mentions))) {
                return;
            }
            boolean block = statements.get(0).isTransactionStart();
            if (block ? !statements.get(statements.size() - 1).isTransactionEnd() : statements.size() != 1) {
                throw new IllegalStateException("A transaction of " + applicationOf.get(key) + " for the probed request did not"
                        + " commit, or was logged only in part: " + statements.stream().map(LoggedStatement::sql).toList());
            }
            long txid = statements.stream().mapToLong(s -> s.entry().txid()).max().orElse(0);
            captured.add(new CapturedTransaction(applicationOf.get(key), txid, statements));
        });
        return captured;
    }
}
