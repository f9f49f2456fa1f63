package dev.lunas.order.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.order.metrics.OrderMetrics;
import dev.lunas.order.service.OrderQueries;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Refreshes the pending-order gauges with one query, so scrapes never touch the database. */
@ApplicationScoped
public class OrderGaugesJob {

    static final String NAME = "order-gauges";

    private final OrderQueries queries;
    private final OrderMetrics metrics;
    private final Jobs jobs;

    public OrderGaugesJob(OrderQueries queries, OrderMetrics metrics, Jobs jobs) {
        this.queries = queries;
        this.metrics = metrics;
        this.jobs = jobs;
    }

    @Scheduled(identity = NAME, every = "${lunas.order.gauges.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> refresh() {
        return jobs.scheduled(NAME, () -> queries.pendingCounts().invoke(metrics::pendingCounted));
    }
}
