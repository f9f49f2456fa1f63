package dev.lunas.payment.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.common.metrics.GaugeRefresh;
import dev.lunas.payment.service.ReconciliationService;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every interval, asks Get Status about the attempts that are due: pending past the threshold, near
 * or past their expiry, or holding an unconfirmed late settlement. Safe on any number of replicas:
 * attempts are claimed with FOR UPDATE SKIP LOCKED.
 *
 * <p>This service has no gauges read from the database; the run's claim is its regular round trip to the
 * database instead (a check Midtrans cannot answer does not fail the run), so each run sets
 * {@code metrics_refreshed_timestamp_seconds} and {@code database_up} (common's {@link GaugeRefresh}).
 */
@Startup
@ApplicationScoped
public class ReconciliationJob {

    static final String NAME = "payment-reconciliation";

    private final ReconciliationService reconciliation;
    private final GaugeRefresh gaugeRefresh;
    private final Jobs jobs;

    public ReconciliationJob(ReconciliationService reconciliation, GaugeRefresh gaugeRefresh, Jobs jobs) {
        this.reconciliation = reconciliation;
        this.gaugeRefresh = gaugeRefresh;
        this.jobs = jobs;
        jobs.declare(NAME);
    }

    @Scheduled(identity = NAME, every = "${lunas.payment.reconciliation.interval}",
            delayed = "${lunas.payment.reconciliation.initial-delay}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> run() {
        return jobs.scheduled(NAME, () -> gaugeRefresh.track(reconciliation.reconcileDue()));
    }
}
