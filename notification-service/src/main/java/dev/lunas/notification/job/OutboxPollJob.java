package dev.lunas.notification.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.notification.service.Dispatcher;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The fallback for a missed LISTEN notification: every lane looks for work. */
@Startup
@ApplicationScoped
public class OutboxPollJob {

    static final String NAME = "outbox-poll";

    private final Jobs jobs;
    private final Dispatcher dispatcher;

    public OutboxPollJob(Jobs jobs, Dispatcher dispatcher) {
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        jobs.declare(NAME);
    }

    @Scheduled(identity = NAME, every = "${lunas.notification.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return jobs.scheduled(NAME, () -> {
            dispatcher.wakeAll();
            return Uni.createFrom().voidItem();
        });
    }
}
