package dev.lunas.order.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.common.job.Jobs.Batch;
import dev.lunas.common.logging.EventLog;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.service.OrderMaintenance;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Deletes checkout Idempotency-Keys past their retention, in batches so no transaction grows large. */
@Startup
@ApplicationScoped
public class IdempotencyKeyReaperJob {

    static final String NAME = "idempotency-key-reaper";
    private static final EventLog LOG = EventLog.of(IdempotencyKeyReaperJob.class, NAME);

    private final OrderMaintenance maintenance;
    private final Jobs jobs;
    private final OrderConfig config;

    public IdempotencyKeyReaperJob(OrderMaintenance maintenance, Jobs jobs, OrderConfig config) {
        this.maintenance = maintenance;
        this.jobs = jobs;
        this.config = config;
        jobs.declare(NAME);
    }

    @Scheduled(identity = NAME, every = "${lunas.order.idempotency-keys.reap-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return jobs.scheduled(NAME, this::reap);
    }

    /** Deletes batch after batch until one comes back short or the per-run bound is reached; answers how many went. */
    public Uni<Integer> reap() {
        return jobs.run(NAME, () -> Jobs.batches(config.idempotencyKeys().maxBatches(), () -> maintenance.reapKeyBatch()
                .map(deleted -> Batch.of(deleted, config.idempotencyKeys().batchSize())))).invoke(deleted -> {
            if (deleted > 0) {
                LOG.info("IDEMPOTENCY_KEYS_REAPED", null, "%d keys older than %s deleted", deleted,
                        config.idempotencyKeys().retention());
            }
        });
    }
}
