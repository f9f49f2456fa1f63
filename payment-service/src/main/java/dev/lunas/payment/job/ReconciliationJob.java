package dev.lunas.payment.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.payment.service.ReconciliationService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every interval, asks Get Status about the attempts that are due: pending past the threshold, near
 * or past their expiry, or holding an unconfirmed late settlement. Safe on any number of replicas:
 * attempts are claimed with FOR UPDATE SKIP LOCKED.
 */
@ApplicationScoped
public class ReconciliationJob {

    static final String NAME = "payment-reconciliation";

    private final ReconciliationService reconciliation;
    private final Jobs jobs;

    public ReconciliationJob(ReconciliationService reconciliation, Jobs jobs) {
        this.reconciliation = reconciliation;
        this.jobs = jobs;
    }

    @Scheduled(identity = NAME, every = "${lunas.payment.reconciliation.interval}",
            delayed = "${lunas.payment.reconciliation.initial-delay}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> run() {
        return jobs.scheduled(NAME, reconciliation::reconcileDue);
    }
}
