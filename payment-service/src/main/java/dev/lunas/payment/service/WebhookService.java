package dev.lunas.payment.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.common.problem.Problem;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.payment.config.PaymentConfig;
import dev.lunas.payment.model.EventSource;
import dev.lunas.payment.metrics.PaymentMetrics;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The Midtrans HTTP notification: verify, record, apply, answer 200 fast. Client-caused problems get
 * a 4xx and write nothing; anything transient answers 503 (Midtrans retries a 503 four times, a 500
 * only once). A late settlement is confirmed with Get Status after the answer.
 */
@ApplicationScoped
public class WebhookService {

    private static final EventLog LOG = EventLog.of(WebhookService.class, "payment-webhook");
    /** Only ids shaped like Midtrans order ids are echoed into logs; the body is not trusted before it is verified. */
    private static final Pattern LOGGABLE_ORDER_ID = Pattern.compile("[A-Za-z0-9._~-]{1,50}");
    /** Midtrans keeps its own retry schedule; the header is for anyone else replaying a notification. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private final MidtransFactVerifier verifier;
    private final PaymentEventService events;
    private final ReconciliationService reconciliation;
    private final CommittedEffects effects;
    private final PaymentMetrics metrics;
    private final long maxBodySize;

    public WebhookService(MidtransFactVerifier verifier, PaymentEventService events, ReconciliationService reconciliation,
                          CommittedEffects effects, PaymentMetrics metrics, PaymentConfig config) {
        this.verifier = verifier;
        this.events = events;
        this.reconciliation = reconciliation;
        this.effects = effects;
        this.metrics = metrics;
        this.maxBodySize = config.webhook().maxBodySize().asLongValue();
    }

    public Uni<Recorded> receive(byte[] body) {
        metrics.webhookReceived();
        Timer.Sample latency = metrics.startWebhook();
        LOG.info("WEBHOOK_RECEIVED", null, "Midtrans notification received (%d bytes)", body == null ? 0 : body.length);
        return Uni.createFrom().item(() -> verify(body))
                .chain(fact -> effects.report(journal -> events.record(fact, EventSource.WEBHOOK, journal))
                        .onFailure(AmountMismatchException.class).call(mismatch -> recordMismatch(fact)))
                .invoke(recorded -> {
                    if (recorded.confirm()) {
                        reconciliation.confirmInBackground(recorded.orderId());
                    }
                })
                .onFailure().transform(this::answerFor)
                .onTermination().invoke(() -> metrics.webhookAnswered(latency));
    }

    /**
     * A validly signed wrong amount or currency: the answer stays 422 with nothing applied, but the fact and
     * its OpsAlert are recorded first, in their own transaction (if that fails, the answer is a 503 and
     * Midtrans retries, so the alert is not lost).
     */
    private Uni<Recorded> recordMismatch(MidtransFact fact) {
        return effects.report(journal -> events.recordMismatch(fact, EventSource.WEBHOOK, journal));
    }

    private MidtransFact verify(byte[] body) {
        if (body != null && body.length > maxBodySize) {
            throw new ProblemException(Problem.of(413, "payload-too-large", "Payload too large",
                    "A notification may not exceed " + maxBodySize + " bytes"));
        }
        MidtransFact fact = verifier.verify(body);
        LOG.info("WEBHOOK_VERIFIED", loggable(fact.orderId()), "Signature verified: %s%s, status_code %s",
                fact.transactionStatus(), fact.fraudStatus() == null ? "" : "/" + fact.fraudStatus(), fact.statusCode());
        return fact;
    }

    private Throwable answerFor(Throwable failure) {
        if (failure instanceof AmountMismatchException) {
            metrics.amountMismatch();
            return failure;
        }
        if (failure instanceof ProblemException problem) {
            if (problem.problem().type().endsWith("/" + MidtransFactVerifier.INVALID_SIGNATURE)) {
                metrics.invalidSignature();
            }
            LOG.warn("WEBHOOK_REJECTED", null, "Notification refused with %d: %s", problem.problem().status(),
                    problem.problem().detail());
            return failure;
        }
        metrics.processingError();
        LOG.error(failure, "WEBHOOK_PROCESSING_ERROR", null, "Notification could not be recorded; Midtrans will retry");
        return ProblemException.unavailable("webhook-unavailable",
                "The notification could not be recorded right now; please retry", RETRY_AFTER);
    }

    private static String loggable(String orderId) {
        return orderId != null && LOGGABLE_ORDER_ID.matcher(orderId).matches() ? orderId : "(malformed)";
    }
}
