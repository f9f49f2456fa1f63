package dev.lunas.notification.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.notification.service.CleanupService;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Deletes finished deliveries and relayed outbox rows past their retention (DEAD rows stay for an operator). */
@Startup
@ApplicationScoped
public class OutboxCleanupJob {

    static final String NAME = "outbox-cleanup";

    private final Jobs jobs;
    private final CleanupService cleanup;

    public OutboxCleanupJob(Jobs jobs, CleanupService cleanup) {
        this.jobs = jobs;
        this.cleanup = cleanup;
        jobs.declare(NAME);
    }

    @Scheduled(identity = NAME, every = "${lunas.notification.cleanup.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return jobs.scheduled(NAME, cleanup::purgeFinished);
    }
}
