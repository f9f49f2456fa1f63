package dev.lunas.payment.metrics;

import dev.lunas.payment.service.PaymentAlert;
import dev.lunas.payment.service.PaymentStateMachine.Effect;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The playbook's payment meters. Dotted names export to the Prometheus names docs/architecture.md pins
 * (payment.paid → payment_paid_total, webhook.latency → webhook_latency_seconds); common adds the
 * service tag. Outcomes are counted after their transaction committed, never before. Every meter, with each
 * of its tag values, is registered at start, so alert rules see 0 before the first webhook.
 */
@Startup
@ApplicationScoped
public class PaymentMetrics {

    private static final List<Effect> ADJUSTMENTS = List.of(Effect.REFUND, Effect.CHARGEBACK, Effect.REVERSE);

    private final MeterRegistry registry;
    private final Counter attempts;
    private final Counter paid;
    private final Counter failed;
    private final Counter expired;
    private final Counter lateSettlements;
    private final Counter webhooksReceived;
    private final Counter invalidSignatures;
    private final Counter processingErrors;
    private final Counter amountMismatches;
    private final Timer webhookLatency;
    private final Map<PaymentAlert, Counter> alerts = new EnumMap<>(PaymentAlert.class);
    private final Map<Effect, Counter> adjustments = new EnumMap<>(Effect.class);

    public PaymentMetrics(MeterRegistry registry) {
        this.registry = registry;
        attempts = Counter.builder("payment.attempt").description("Payment attempts created (one per order)").register(registry);
        paid = Counter.builder("payment.paid").description("Payments settled, late ones included").register(registry);
        failed = Counter.builder("payment.failed").description("Payments denied, cancelled or failed").register(registry);
        expired = Counter.builder("payment.expired").description("Payments expired unpaid").register(registry);
        lateSettlements = Counter.builder("payment.late.settlement")
                .description("Settlements applied to an attempt already failed or expired (alert)").register(registry);
        webhooksReceived = Counter.builder("webhook.received").description("Midtrans notifications received").register(registry);
        invalidSignatures = Counter.builder("webhook.invalid.signature")
                .description("Notifications refused for a missing or wrong signature_key").register(registry);
        processingErrors = Counter.builder("webhook.processing.error")
                .description("Notifications answered 503 because they could not be recorded").register(registry);
        amountMismatches = Counter.builder("payment.amount.mismatch")
                .description("Validly signed Midtrans facts whose amount or currency differ from the attempt (alert)")
                .register(registry);
        webhookLatency = Timer.builder("webhook.latency")
                .description("Time to answer a Midtrans notification")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(15))
                .register(registry);
        // every code exists from the start, so an alert rule sees 0 before the first alert
        for (PaymentAlert alert : PaymentAlert.values()) {
            alerts.put(alert, Counter.builder("payment.alerts").tag("code", alert.code())
                    .description("OpsAlerts raised for payment conditions a person must act on").register(registry));
        }
        for (Effect adjustment : ADJUSTMENTS) {
            adjustments.put(adjustment, Counter.builder("payment.adjustment")
                    .tag("kind", adjustment.name().toLowerCase(Locale.ROOT))
                    .description("Refunds, chargebacks and reversals of settled payments").register(registry));
        }
    }

    /** Counts an OpsAlert whose transaction committed. */
    public void alert(PaymentAlert alert) {
        alerts.get(alert).increment();
    }

    public void attemptCreated() {
        attempts.increment();
    }

    /** Counts a committed change of an attempt. */
    public void applied(Effect effect) {
        switch (effect) {
            case SETTLE -> paid.increment();
            case LATE_SETTLE -> {
                paid.increment();
                lateSettlements.increment();
            }
            case FAIL -> failed.increment();
            case EXPIRE -> expired.increment();
            case REFUND, CHARGEBACK, REVERSE -> adjustments.get(effect).increment();
            default -> {
                // nothing changed
            }
        }
    }

    public void webhookReceived() {
        webhooksReceived.increment();
    }

    public void invalidSignature() {
        invalidSignatures.increment();
    }

    public void processingError() {
        processingErrors.increment();
    }

    public void amountMismatch() {
        amountMismatches.increment();
    }

    public Timer.Sample startWebhook() {
        return Timer.start(registry);
    }

    public void webhookAnswered(Timer.Sample sample) {
        sample.stop(webhookLatency);
    }
}
