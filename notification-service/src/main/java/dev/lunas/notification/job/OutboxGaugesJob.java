package dev.lunas.notification.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.common.metrics.GaugeRefresh;
import dev.lunas.notification.service.QueueStatsService;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Recomputes the queue gauges from the database, so scrapes never touch it; each refresh also sets
 * {@code metrics_refreshed_timestamp_seconds} and {@code database_up} (common's {@link GaugeRefresh}).
 */
@Startup
@ApplicationScoped
public class OutboxGaugesJob {

    static final String NAME = "outbox-gauges";

    private final Jobs jobs;
    private final QueueStatsService stats;
    private final GaugeRefresh gaugeRefresh;

    public OutboxGaugesJob(Jobs jobs, QueueStatsService stats, GaugeRefresh gaugeRefresh) {
        this.jobs = jobs;
        this.stats = stats;
        this.gaugeRefresh = gaugeRefresh;
        jobs.declare(NAME);
    }

    @Scheduled(identity = NAME, every = "${lunas.notification.gauge-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return jobs.scheduled(NAME, () -> gaugeRefresh.track(stats.refresh()));
    }
}
