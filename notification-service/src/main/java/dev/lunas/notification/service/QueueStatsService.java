package dev.lunas.notification.service;

import dev.lunas.notification.metrics.NotificationMetrics;
import dev.lunas.notification.repository.QueueStatsRepository;
import dev.lunas.notification.repository.QueueStatsRepository.QueueStats;
import dev.lunas.notification.repository.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Recomputes the outbox gauges from the database, on a schedule rather than on every scrape. */
@ApplicationScoped
public class QueueStatsService {

    private final Transactions transactions;
    private final QueueStatsRepository stats;
    private final SourceTables sourceTables;
    private final NotificationMetrics metrics;

    public QueueStatsService(Transactions transactions, QueueStatsRepository stats, SourceTables sourceTables,
                             NotificationMetrics metrics) {
        this.transactions = transactions;
        this.stats = stats;
        this.sourceTables = sourceTables;
        this.metrics = metrics;
    }

    public Uni<QueueStats> refresh() {
        return sourceTables.present()
                .chain(present -> transactions.read(connection -> stats.read(connection, present)))
                .invoke(metrics::refreshed);
    }
}
