package dev.lunas.notification.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.notification.service.WatchdogService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import dev.lunas.notification.config.NotificationConfig;

/** Runs the watchdog (database reachable? DEAD deliveries?) every {@code lunas.notification.watchdog.interval}. */
@ApplicationScoped
public class WatchdogJob {

    static final String NAME = "watchdog";

    private final Jobs jobs;
    private final WatchdogService watchdog;
    private final boolean enabled;

    public WatchdogJob(Jobs jobs, WatchdogService watchdog, NotificationConfig config) {
        this.jobs = jobs;
        this.watchdog = watchdog;
        this.enabled = config.watchdog().enabled();
    }

    @Scheduled(identity = NAME, every = "${lunas.notification.watchdog.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return jobs.scheduled(NAME, watchdog::check);
    }
}
