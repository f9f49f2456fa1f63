package dev.lunas.notification.service;

import dev.lunas.common.job.Jobs;
import dev.lunas.common.job.Jobs.Batch;
import dev.lunas.common.logging.EventLog;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.repository.DeliveryRepository;
import dev.lunas.notification.repository.SourceOutboxRepository;
import dev.lunas.notification.repository.Transactions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Keeps the queue tables small (a bloated queue table claims ever slower): deletes SENT and SKIPPED
 * deliveries and SENT outbox rows older than the retention, in short batches, each its own transaction, at most
 * {@code lunas.notification.cleanup.max-batches} per table and run.
 * DEAD rows are never deleted here: they wait for an operator.
 */
@ApplicationScoped
public class CleanupService {

    private static final EventLog LOG = EventLog.of(CleanupService.class, "cleanup");

    private final Transactions transactions;
    private final DeliveryRepository deliveries;
    private final SourceOutboxRepository outboxes;
    private final SourceTables sourceTables;
    private final Duration retention;
    private final int batchSize;
    private final int maxBatches;

    public CleanupService(Transactions transactions, DeliveryRepository deliveries, SourceOutboxRepository outboxes,
                          SourceTables sourceTables, NotificationConfig config) {
        this.transactions = transactions;
        this.deliveries = deliveries;
        this.outboxes = outboxes;
        this.sourceTables = sourceTables;
        this.retention = config.cleanup().retention();
        this.batchSize = config.cleanup().batchSize();
        this.maxBatches = config.cleanup().maxBatches();
    }

    /** Deletes everything past the retention; returns how many rows went. */
    public Uni<Long> purgeFinished() {
        Uni<Long> queue = inBatches(() -> transactions.inTransaction(c -> deliveries.deleteFinished(c, retention, batchSize)));
        Uni<Long> sources = sourceTables.present().chain(present -> Multi.createFrom().iterable(present)
                .onItem().transformToUniAndConcatenate(source -> inBatches(() ->
                        transactions.inTransaction(c -> outboxes.deleteRelayed(c, source, retention, batchSize))))
                .collect().with(java.util.stream.Collectors.summingLong(Long::longValue)));
        return queue.chain(fromQueue -> sources.map(fromSources -> fromQueue + fromSources))
                .invoke(total -> {
                    if (total > 0) {
                        LOG.info("OUTBOX_CLEANED", null, "Deleted %d finished rows older than %s", total, retention);
                    }
                });
    }

    private Uni<Long> inBatches(Supplier<Uni<Integer>> batch) {
        return Jobs.batches(maxBatches, () -> batch.get().map(deleted -> Batch.of(deleted, batchSize))).map(Integer::longValue);
    }
}
