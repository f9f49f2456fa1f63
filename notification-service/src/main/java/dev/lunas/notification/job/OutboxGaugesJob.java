package dev.lunas.notification.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.notification.service.QueueStatsService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Recomputes the queue gauges from the database, so scrapes never touch it. */
@ApplicationScoped
public class OutboxGaugesJob {

    static final String NAME = "outbox-gauges";

    private final Jobs jobs;
    private final QueueStatsService stats;

    public OutboxGaugesJob(Jobs jobs, QueueStatsService stats) {
        this.jobs = jobs;
        this.stats = stats;
    }

    @Scheduled(identity = NAME, every = "${lunas.notification.gauge-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return jobs.scheduled(NAME, stats::refresh);
    }
}
