package dev.lunas.order.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.common.metrics.GaugeRefresh;
import dev.lunas.order.metrics.OrderMetrics;
import dev.lunas.order.service.OrderQueries;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refreshes the pending-order gauges with one query, so scrapes never touch the database; each refresh also
 * sets {@code metrics_refreshed_timestamp_seconds} and {@code database_up} (common's {@link GaugeRefresh}).
 */
@Startup
@ApplicationScoped
public class OrderGaugesJob {

    static final String NAME = "order-gauges";

    private final OrderQueries queries;
    private final OrderMetrics metrics;
    private final GaugeRefresh gaugeRefresh;
    private final Jobs jobs;

    public OrderGaugesJob(OrderQueries queries, OrderMetrics metrics, GaugeRefresh gaugeRefresh, Jobs jobs) {
        this.queries = queries;
        this.metrics = metrics;
        this.gaugeRefresh = gaugeRefresh;
        this.jobs = jobs;
        jobs.declare(NAME);
    }

    @Scheduled(identity = NAME, every = "${lunas.order.gauges.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> refresh() {
        return jobs.scheduled(NAME, () -> gaugeRefresh.track(queries.pendingCounts().invoke(metrics::pendingCounted)));
    }
}
