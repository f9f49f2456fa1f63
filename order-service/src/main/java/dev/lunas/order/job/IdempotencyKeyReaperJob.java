package dev.lunas.order.job;

import dev.lunas.common.logging.EventLog;
import dev.lunas.common.metrics.JobMetrics;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.service.OrderMaintenance;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Deletes checkout Idempotency-Keys past their retention, in batches so no transaction grows large. */
@ApplicationScoped
public class IdempotencyKeyReaperJob {

    static final String NAME = "idempotency-key-reaper";
    private static final EventLog LOG = EventLog.of(IdempotencyKeyReaperJob.class, NAME);

    private final OrderMaintenance maintenance;
    private final JobMetrics jobs;
    private final OrderConfig config;

    public IdempotencyKeyReaperJob(OrderMaintenance maintenance, JobMetrics jobs, OrderConfig config) {
        this.maintenance = maintenance;
        this.jobs = jobs;
        this.config = config;
    }

    @Scheduled(identity = NAME, every = "${lunas.order.idempotency-keys.reap-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reap().replaceWithVoid();
    }

    /** Deletes batch after batch until a batch comes back short; answers how many keys were deleted. */
    public Uni<Integer> reap() {
        return jobs.run(NAME, this::batches).invoke(deleted -> {
            if (deleted > 0) {
                LOG.info("IDEMPOTENCY_KEYS_REAPED", null, "%d keys older than %s deleted", deleted,
                        config.idempotencyKeys().retention());
            }
        });
    }

    private Uni<Integer> batches() {
        return maintenance.reapKeyBatch().chain(deleted -> deleted == config.idempotencyKeys().batchSize()
                ? batches().map(more -> deleted + more)
                : Uni.createFrom().item(deleted));
    }
}
