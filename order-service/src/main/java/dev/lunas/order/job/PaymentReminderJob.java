package dev.lunas.order.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.common.logging.EventLog;
import dev.lunas.common.logging.Journal;
import dev.lunas.order.service.OrderMaintenance;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends each pending order its one payment reminder, a configured time before it expires. */
@Startup
@ApplicationScoped
public class PaymentReminderJob {

    static final String NAME = "payment-reminder";
    private static final EventLog LOG = EventLog.of(PaymentReminderJob.class, NAME);

    private final OrderMaintenance maintenance;
    private final Jobs jobs;

    public PaymentReminderJob(OrderMaintenance maintenance, Jobs jobs) {
        this.maintenance = maintenance;
        this.jobs = jobs;
        jobs.declare(NAME);
    }

    @Scheduled(identity = NAME, every = "${lunas.order.reminder.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return jobs.scheduled(NAME, this::remindDue);
    }

    /** One batch per run: at the configured batch size and interval that outpaces any realistic order rate. */
    public Uni<Integer> remindDue() {
        return jobs.run(NAME, () -> {
            Journal journal = new Journal();
            return maintenance.remindBatch(journal).invoke(() -> journal.writeTo(LOG));
        });
    }
}
