package dev.lunas.notification.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.notification.metrics.NotificationMetrics;
import dev.lunas.notification.repository.OldestTransactionRepository;
import dev.lunas.notification.repository.OldestTransactionRepository.OldestTransaction;
import dev.lunas.notification.repository.QueueStatsRepository;
import dev.lunas.notification.repository.QueueStatsRepository.QueueStats;
import dev.lunas.notification.repository.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Recomputes the outbox gauges from the database, on a schedule rather than on every scrape, and with them the age of
 * the database's oldest open transaction. A transaction open longer than {@link #LONG_TRANSACTION} (far beyond any of
 * the services', which the 30 s idle-in-transaction timeout ends) is logged once as {@code LONG_TRANSACTION}, with
 * the session that holds it: the alert LongTransaction carries only its role.
 */
@ApplicationScoped
public class QueueStatsService {

    static final Duration LONG_TRANSACTION = Duration.ofMinutes(1);
    private static final EventLog LOG = EventLog.of(QueueStatsService.class, "gauges");

    private final Transactions transactions;
    private final QueueStatsRepository stats;
    private final OldestTransactionRepository oldestTransaction;
    private final SourceTables sourceTables;
    private final NotificationMetrics metrics;
    /** The session last logged as LONG_TRANSACTION, so each is logged once. */
    private volatile Integer loggedPid;

    public QueueStatsService(Transactions transactions, QueueStatsRepository stats,
                             OldestTransactionRepository oldestTransaction, SourceTables sourceTables,
                             NotificationMetrics metrics) {
        this.transactions = transactions;
        this.stats = stats;
        this.oldestTransaction = oldestTransaction;
        this.sourceTables = sourceTables;
        this.metrics = metrics;
    }

    public Uni<QueueStats> refresh() {
        return sourceTables.present()
                .chain(present -> transactions.read(connection -> stats.read(connection, present)
                        .call(queue -> oldestTransaction.read(connection).invoke(this::oldest))))
                .invoke(metrics::refreshed);
    }

    private void oldest(Optional<OldestTransaction> oldest) {
        metrics.oldestTransaction(oldest);
        Optional<OldestTransaction> longOne = oldest.filter(t -> t.ageSeconds() >= LONG_TRANSACTION.toSeconds());
        if (longOne.isEmpty()) {
            loggedPid = null;
            return;
        }
        OldestTransaction transaction = longOne.get();
        if (!Integer.valueOf(transaction.pid()).equals(loggedPid)) {
            loggedPid = transaction.pid();
            LOG.warn("LONG_TRANSACTION", null, "A transaction open for %.0f s holds back the vacuum horizon: pid %d,"
                            + " role %s, application '%s', %s. Rows changed since cannot be vacuumed (the outbox and the"
                            + " delivery queue grow); end it with pg_terminate_backend(%d) if it is not needed",
                    transaction.ageSeconds(), transaction.pid(), transaction.roleName(), transaction.applicationName(),
                    transaction.state(), transaction.pid());
        }
    }
}
