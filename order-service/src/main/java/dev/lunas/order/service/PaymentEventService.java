package dev.lunas.order.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.event.EventEnvelope;
import dev.lunas.common.event.EventTypes;
import dev.lunas.common.event.PaymentResult;
import dev.lunas.common.event.PaymentResultSignature;
import dev.lunas.common.logging.EventLog;
import dev.lunas.common.logging.Journal;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.order.metrics.OrderMetrics;
import dev.lunas.order.service.PaymentEventLedger.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /internal/payment-events}: payment results relayed by notification-service. Answers as
 * docs/integration.md says: 200 with the outcome when done, 4xx when the event can never be applied
 * (notification-service dead-letters it), 503 when it should be delivered again later. A result is applied
 * only when its signature verifies with the key that payment-service alone shares with this service.
 */
@ApplicationScoped
public class PaymentEventService {

    private static final EventLog LOG = EventLog.of(PaymentEventService.class, "payment-events");
    private static final Duration BUSY_RETRY = Duration.ofSeconds(5);
    /** Bounds of an event's texts: ids and statuses are short words, a Midtrans transaction id a UUID. */
    private static final int SHORT_TEXT = 64;
    private static final int IDENTIFIER = 128;
    private static final int CURRENCY = 3;
    /** Payment facts are from this service's lifetime, and not from the future beyond clock skew. */
    private static final Instant EARLIEST = Instant.parse("2020-01-01T00:00:00Z");
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final Set<String> SUPPORTED = Set.of(EventTypes.PAYMENT_SETTLED, EventTypes.PAYMENT_FAILED,
            EventTypes.PAYMENT_EXPIRED, EventTypes.PAYMENT_REFUNDED, EventTypes.PAYMENT_CHARGED_BACK,
            EventTypes.PAYMENT_REVERSED);

    /** The answer notification-service reads. */
    public record Answer(UUID eventId, String outcome) {
    }

    private final PaymentEventLedger ledger;
    private final ObjectMapper json;
    private final PaymentResultSignature signature;
    private final OrderMetrics metrics;

    public PaymentEventService(PaymentEventLedger ledger, ObjectMapper json, PaymentResultSignature signature,
                               OrderMetrics metrics) {
        this.ledger = ledger;
        this.json = json;
        this.signature = signature;
        this.metrics = metrics;
    }

    public Uni<Answer> apply(EventEnvelope envelope) {
        PaymentResult result = validate(envelope);
        Journal journal = new Journal();
        return ledger.apply(envelope.eventId(), envelope.eventType(), result, journal)
                .onFailure(DatabaseErrors::isRetryable).transform(failure -> ProblemException.unavailable("order-busy",
                        "The order is being changed by another request; deliver the event again", BUSY_RETRY))
                .invoke(outcome -> {
                    journal.writeTo(LOG);
                    LOG.info("PAYMENT_EVENT_" + outcome, result.orderId(), "%s %s from %s",
                            envelope.eventType(), envelope.eventId(), result.source());
                    count(envelope.eventType(), outcome);
                })
                .map(outcome -> new Answer(envelope.eventId(), outcome.name()));
    }

    /**
     * Counts the order's change once committed: an applied settlement made the order PAID (late ones too), an
     * applied payment expiry made it EXPIRED; every other outcome left its status alone.
     */
    private void count(String eventType, Outcome outcome) {
        if (outcome != Outcome.APPLIED) {
            return;
        }
        if (EventTypes.PAYMENT_SETTLED.equals(eventType)) {
            metrics.orderPaid();
        } else if (EventTypes.PAYMENT_EXPIRED.equals(eventType)) {
            metrics.ordersExpired(1);
        }
    }

    /**
     * Refuses, with a 400 that echoes nothing back, any event that is malformed or out of bounds, before
     * anything is written: every text within a short length, amounts not negative, instants plausible.
     */
    private PaymentResult validate(EventEnvelope envelope) {
        if (envelope.eventId() == null || envelope.eventType() == null || envelope.payload() == null
                || envelope.payload().isNull()) {
            throw invalid("An event needs eventId, eventType and payload");
        }
        requireShort("eventType", envelope.eventType(), SHORT_TEXT);
        requireShort("aggregateType", envelope.aggregateType(), SHORT_TEXT);
        requireShort("aggregateId", envelope.aggregateId(), SHORT_TEXT);
        requirePlausible("occurredAt", envelope.occurredAt());
        if (!SUPPORTED.contains(envelope.eventType())) {
            throw ProblemException.unprocessable("unsupported-event-type",
                    "order-service does not handle " + envelope.eventType() + " events");
        }
        PaymentResult result = read(envelope);
        if (envelope.aggregateId() != null && !envelope.aggregateId().equals(result.orderId().toString())) {
            throw invalid("aggregateId and payload.orderId name different orders");
        }
        return result;
    }

    private PaymentResult read(EventEnvelope envelope) {
        if (!envelope.payload().isObject()) {
            throw invalid("The payload is not a PaymentResult");
        }
        PaymentResult result;
        try {
            result = json.treeToValue(envelope.payload(), PaymentResult.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw invalid("The payload is not a PaymentResult");
        }
        if (result == null || result.orderId() == null) {
            throw invalid("The payload names no orderId");
        }
        requireShort("payload.transactionId", result.transactionId(), IDENTIFIER);
        requireShort("payload.transactionStatus", result.transactionStatus(), SHORT_TEXT);
        requireShort("payload.fraudStatus", result.fraudStatus(), SHORT_TEXT);
        requireShort("payload.paymentType", result.paymentType(), SHORT_TEXT);
        requireShort("payload.currency", result.currency(), CURRENCY);
        requireShort("payload.source", result.source(), SHORT_TEXT);
        requirePlausible("payload.occurredAt", result.occurredAt());
        if (result.grossAmount() < 0 || result.refundAmount() != null && result.refundAmount() < 0) {
            throw invalid("Amounts are rupiah and never negative");
        }
        if (!signature.verify(envelope.eventType(), result)) {
            // only payment-service holds the key: whoever sent this, it is not a payment result
            LOG.critical("PAYMENT_EVENT_FORGED", result.orderId(), "%s %s carries no valid signature; nothing applied",
                    envelope.eventType(), envelope.eventId());
            throw ProblemException.unprocessable("invalid-signature",
                    "The payment result is not signed by payment-service");
        }
        return result;
    }

    private static void requireShort(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw invalid("The field '" + field + "' is longer than " + maxLength + " characters");
        }
    }

    private static void requirePlausible(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(Instant.now().plus(CLOCK_SKEW)))) {
            throw invalid("The field '" + field + "' is not a plausible instant");
        }
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid-event", detail);
    }
}
