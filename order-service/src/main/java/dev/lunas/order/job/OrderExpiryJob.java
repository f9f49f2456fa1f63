package dev.lunas.order.job;

import dev.lunas.common.http.Correlation;
import dev.lunas.common.logging.EventLog;
import dev.lunas.common.metrics.JobMetrics;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.service.Journal;
import dev.lunas.order.service.OrderMaintenance;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Expires orders nobody paid in time; Midtrans sends nothing when a Snap page expires unused. */
@ApplicationScoped
public class OrderExpiryJob {

    static final String NAME = "order-expiry";
    private static final EventLog LOG = EventLog.of(OrderExpiryJob.class, NAME);

    private final OrderMaintenance maintenance;
    private final JobMetrics jobs;
    private final OrderConfig config;

    public OrderExpiryJob(OrderMaintenance maintenance, JobMetrics jobs, OrderConfig config) {
        this.maintenance = maintenance;
        this.jobs = jobs;
        this.config = config;
    }

    @Scheduled(identity = NAME, every = "${lunas.order.expiry.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return expireDue().replaceWithVoid();
    }

    /** One run: batch after batch until none is full or the per-run bound is reached; answers how many expired. */
    public Uni<Integer> expireDue() {
        return jobs.run(NAME, () -> {
            Correlation.begin(null);
            return batches(config.expiry().maxBatches());
        });
    }

    private Uni<Integer> batches(int left) {
        Journal journal = new Journal();
        return maintenance.expireBatch(journal).invoke(() -> journal.writeTo(LOG)).chain(expired ->
                expired == config.expiry().batchSize() && left > 1
                        ? batches(left - 1).map(more -> expired + more)
                        : Uni.createFrom().item(expired));
    }
}
