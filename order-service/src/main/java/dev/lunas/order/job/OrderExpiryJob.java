package dev.lunas.order.job;

import dev.lunas.common.job.Jobs;
import dev.lunas.common.job.Jobs.Batch;
import dev.lunas.common.logging.EventLog;
import dev.lunas.common.logging.Journal;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.metrics.OrderMetrics;
import dev.lunas.order.service.OrderMaintenance;
import dev.lunas.order.service.PaymentGateway;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Expires orders nobody paid in time; Midtrans sends nothing when a Snap page expires unused. A paid
 * order whose settlement is still on its way must never be expired, so each batch goes in three steps:
 * read the candidates (no lock, no transaction), ask payment-service for their payment status (no
 * transaction open), then lock and expire those still due whose payment is not settled. When
 * payment-service cannot answer, this run expires nothing more.
 */
@Startup
@ApplicationScoped
public class OrderExpiryJob {

    static final String NAME = "order-expiry";
    private static final EventLog LOG = EventLog.of(OrderExpiryJob.class, NAME);

    private final OrderMaintenance maintenance;
    private final PaymentGateway payments;
    private final Jobs jobs;
    private final OrderConfig config;
    private final OrderMetrics metrics;

    public OrderExpiryJob(OrderMaintenance maintenance, PaymentGateway payments, Jobs jobs, OrderConfig config,
                          OrderMetrics metrics) {
        this.maintenance = maintenance;
        this.payments = payments;
        this.jobs = jobs;
        this.config = config;
        this.metrics = metrics;
        jobs.declare(NAME);
    }

    @Scheduled(identity = NAME, every = "${lunas.order.expiry.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return jobs.scheduled(NAME, this::expireDue);
    }

    /** One run: batch after batch until none is full or the per-run bound is reached; answers how many expired. */
    public Uni<Integer> expireDue() {
        return jobs.run(NAME, () -> {
            AtomicReference<UUID> after = new AtomicReference<>(new UUID(0, 0));
            return Jobs.batches(config.expiry().maxBatches(), () -> maintenance.dueForExpiry(after.get())
                    .chain(candidates -> candidates.isEmpty()
                            ? Uni.createFrom().item(Batch.last(0))
                            : statusesOf(candidates).chain(statuses -> statuses == null
                                    ? Uni.createFrom().item(Batch.last(0))
                                    : expire(candidates, statuses).invoke(() -> after.set(candidates.get(candidates.size() - 1)))
                                            .map(expired -> new Batch(expired, candidates.size() == maintenance.batchSize())))));
        });
    }

    /** Expires the candidates payment-service's statuses allow; answers how many expired (counted once committed). */
    private Uni<Integer> expire(List<UUID> candidates, Map<UUID, String> statuses) {
        Journal journal = new Journal();
        return maintenance.expireBatch(candidates, statuses, journal).invoke(expired -> {
            journal.writeTo(LOG);
            metrics.ordersExpired(expired);
        });
    }

    /** The candidates' payment statuses, or null when payment-service cannot tell (then the run stops). */
    private Uni<Map<UUID, String>> statusesOf(List<UUID> candidates) {
        return payments.paymentStatuses(candidates).onFailure().recoverWithItem(failure -> {
            LOG.warn("PAYMENT_STATUS_UNAVAILABLE", null,
                    "payment-service cannot tell whether %d due orders are paid (%s); none expires this run",
                    candidates.size(), failure.getClass().getSimpleName());
            return null;
        });
    }
}
