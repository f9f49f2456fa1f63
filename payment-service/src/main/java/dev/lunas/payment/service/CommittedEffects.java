package dev.lunas.payment.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.common.logging.Journal;
import dev.lunas.payment.metrics.PaymentMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Makes known what recording a Midtrans fact did once its transaction has committed, never for a change
 * that was rolled back: writes the journal the transaction filled and counts its outcome and OpsAlerts.
 */
@ApplicationScoped
public class CommittedEffects {

    private static final EventLog LOG = EventLog.of(CommittedEffects.class, "payment-events");

    private final PaymentMetrics metrics;

    public CommittedEffects(PaymentMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Runs {@code transaction} (one of {@link PaymentEventService}'s) with a journal of its own and, once it
     * has committed, logs and counts what it did; a failed transaction's journal is dropped unwritten.
     */
    public Uni<Recorded> report(Function<Journal, Uni<Recorded>> transaction) {
        Journal journal = new Journal();
        return transaction.apply(journal).invoke(recorded -> {
            journal.writeTo(LOG);
            metrics.applied(recorded.effect());
            recorded.alerts().forEach(metrics::alert);
        });
    }
}
