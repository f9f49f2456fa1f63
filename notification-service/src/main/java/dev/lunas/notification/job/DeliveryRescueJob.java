package dev.lunas.notification.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.notification.service.Dispatcher;
import dev.lunas.notification.service.DeliveryService;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Gives back deliveries whose worker's lease expired while SENDING, and wakes their lanes. */
@Startup
@ApplicationScoped
public class DeliveryRescueJob {

    static final String NAME = "delivery-rescue";

    private final Jobs jobs;
    private final DeliveryService deliveries;
    private final Dispatcher dispatcher;

    public DeliveryRescueJob(Jobs jobs, DeliveryService deliveries, Dispatcher dispatcher) {
        this.jobs = jobs;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        jobs.declare(NAME);
    }

    @Scheduled(identity = NAME, every = "${lunas.notification.queue.rescue-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return jobs.scheduled(NAME, () -> deliveries.rescueExpiredLeases()
                .invoke(rescued -> rescued.forEach(row -> dispatcher.wake(row.channel()))));
    }
}
