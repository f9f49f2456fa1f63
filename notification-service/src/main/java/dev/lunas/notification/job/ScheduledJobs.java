package dev.lunas.notification.job;

import dev.lunas.common.logging.EventLog;
import dev.lunas.common.metrics.JobMetrics;
import dev.lunas.notification.service.CleanupService;
import dev.lunas.notification.service.DeliveryService;
import dev.lunas.notification.service.QueueStatsService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** The periodic jobs; each runs through common's JobMetrics (job_execution_time_seconds, scheduler_alive). */
@ApplicationScoped
public class ScheduledJobs {

    private static final EventLog LOG = EventLog.of(ScheduledJobs.class, "scheduler");

    private final JobMetrics jobs;
    private final Dispatcher dispatcher;
    private final DeliveryService deliveries;
    private final QueueStatsService stats;
    private final CleanupService cleanup;

    public ScheduledJobs(JobMetrics jobs, Dispatcher dispatcher, DeliveryService deliveries, QueueStatsService stats,
                         CleanupService cleanup) {
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.deliveries = deliveries;
        this.stats = stats;
        this.cleanup = cleanup;
    }

    /** The fallback for missed notifications: every lane looks for work. */
    @Scheduled(identity = "outbox-poll", every = "${lunas.notification.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return run("outbox-poll", () -> {
            dispatcher.wakeAll();
            return Uni.createFrom().voidItem();
        });
    }

    @Scheduled(identity = "delivery-rescue", every = "${lunas.notification.queue.rescue-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> rescue() {
        return run("delivery-rescue", () -> deliveries.rescueExpiredLeases()
                .invoke(rescued -> rescued.forEach(row -> dispatcher.wake(row.channel())))
                .replaceWithVoid());
    }

    @Scheduled(identity = "outbox-gauges", every = "${lunas.notification.gauge-refresh}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshGauges() {
        return run("outbox-gauges", () -> stats.refresh().replaceWithVoid());
    }

    @Scheduled(identity = "outbox-cleanup", every = "${lunas.notification.cleanup.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeFinished() {
        return run("outbox-cleanup", () -> cleanup.purgeFinished().replaceWithVoid());
    }

    private Uni<Void> run(String job, Supplier<Uni<Void>> work) {
        return jobs.run(job, work).onFailure().recoverWithItem(failure -> {
            LOG.warn("JOB_FAILED", null, "Job %s failed, it runs again on schedule: %s", job, failure.getMessage());
            return null;
        });
    }
}
