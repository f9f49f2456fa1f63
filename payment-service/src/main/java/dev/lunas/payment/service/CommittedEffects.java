package dev.lunas.payment.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.payment.metrics.PaymentMetrics;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts and logs what a recorded fact did, once its transaction has committed (never a rolled-back change). */
@ApplicationScoped
public class CommittedEffects {

    private static final EventLog LOG = EventLog.of(CommittedEffects.class, "payment-events");

    private final PaymentMetrics metrics;

    public CommittedEffects(PaymentMetrics metrics) {
        this.metrics = metrics;
    }

    public void report(Recorded recorded) {
        metrics.applied(recorded.effect());
        recorded.alerts().forEach(metrics::alert);
        Object order = recorded.orderId() != null ? recorded.orderId() : recorded.providerOrderId();
        switch (recorded.effect()) {
            case SETTLE -> LOG.info("PAYMENT_SETTLED", order, "Payment settled (%s via %s)",
                    recorded.transactionStatus(), recorded.source());
            case LATE_SETTLE -> LOG.critical("PAYMENT_SETTLED_LATE", order,
                    "Midtrans confirmed money for a payment already closed; applied as a late settlement");
            case FAIL -> LOG.info("PAYMENT_FAILED", order, "Payment failed (%s via %s)",
                    recorded.transactionStatus(), recorded.source());
            case EXPIRE -> LOG.info("PAYMENT_EXPIRED", order, "Payment expired (%s via %s)",
                    recorded.transactionStatus(), recorded.source());
            case REFUND -> LOG.critical("PAYMENT_REFUNDED", order, "Settled payment refunded (%s)", recorded.transactionStatus());
            case CHARGEBACK -> LOG.critical("PAYMENT_CHARGED_BACK", order, "Settled payment charged back (%s)",
                    recorded.transactionStatus());
            case REVERSE -> LOG.critical("PAYMENT_REVERSED", order, "Settled payment reversed by Midtrans (%s)",
                    recorded.transactionStatus());
            default -> LOG.info(recorded.orderId() == null ? "PAYMENT_EVENT_UNKNOWN_ORDER" : "PAYMENT_EVENT_RECORDED", order,
                    "%s via %s recorded: %s", recorded.transactionStatus(), recorded.source(), recorded.answer());
        }
    }
}
