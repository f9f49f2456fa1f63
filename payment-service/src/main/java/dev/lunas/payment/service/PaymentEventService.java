package dev.lunas.payment.service;

import dev.lunas.common.event.OutboxEvent;
import dev.lunas.common.event.PaymentResult;
import dev.lunas.common.event.PaymentResultSignature;
import dev.lunas.common.logging.EventLog;
import dev.lunas.common.outbox.OutboxWriter;
import dev.lunas.payment.config.PaymentConfig;
import dev.lunas.payment.entity.EventOutcome;
import dev.lunas.payment.entity.EventSource;
import dev.lunas.payment.entity.PaymentAttempt;
import dev.lunas.payment.entity.PaymentStatus;
import dev.lunas.payment.repository.PaymentAttemptRepository;
import dev.lunas.payment.repository.PaymentAttemptRepository.ProviderFacts;
import dev.lunas.payment.repository.PaymentAuditRepository;
import dev.lunas.payment.repository.PaymentEventRepository;
import dev.lunas.payment.repository.PaymentEventRepository.NewEvent;
import dev.lunas.payment.service.PaymentStateMachine.Effect;
import dev.lunas.payment.service.PaymentStateMachine.Kind;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Records a verified Midtrans fact in the inbox and applies it, in one transaction: the inbox row, the
 * guarded change of the attempt, its audit row and its outbox event commit together or not at all.
 * Facts about one order are serialised by a lock on its attempt row, so any number of concurrent
 * copies of a notification apply it once. Every published PaymentResult is signed
 * ({@link PaymentResultSignature}), so order-service can tell it from a forgery.
 */
@ApplicationScoped
public class PaymentEventService {

    private static final EventLog LOG = EventLog.of(PaymentEventService.class, "payment-events");
    private static final String AGGREGATE = "payment";
    private static final String CURRENCY = "IDR";

    private final PaymentAttemptRepository attempts;
    private final PaymentEventRepository events;
    private final PaymentAuditRepository audit;
    private final OutboxWriter outbox;
    private final PaymentConfig config;
    private final PaymentResultSignature signature;

    public PaymentEventService(PaymentAttemptRepository attempts, PaymentEventRepository events,
                               PaymentAuditRepository audit, OutboxWriter outbox, PaymentConfig config,
                               PaymentResultSignature signature) {
        this.attempts = attempts;
        this.events = events;
        this.audit = audit;
        this.outbox = outbox;
        this.config = config;
        this.signature = signature;
    }

    @WithTransaction
    public Uni<Recorded> record(Notification fact, EventSource source) {
        return fact.ourOrderId()
                .map(attempts::lock)
                .orElseGet(() -> Uni.createFrom().nullItem())
                .chain(attempt -> attempt == null ? recordUnknownOrder(fact, source) : recordFor(attempt, fact, source));
    }

    /**
     * Get Status does not know the order: the customer never chose a method. Past the attempt's expiry
     * (plus a grace period) that means the payment expired; before it, nothing is known yet. Either way
     * a late settlement waiting for confirmation is not confirmed.
     */
    @WithTransaction
    public Uni<Recorded> recordNotFound(UUID orderId, String answer) {
        return attempts.lock(orderId).chain(attempt -> {
            if (attempt.status != PaymentStatus.PENDING) {
                return notConfirmed(attempt, "Get Status: transaction doesn't exist")
                        .chain(() -> attempts.endChecks(orderId))
                        .replaceWith(new Recorded(orderId, orderId.toString(), Reconciled.NOT_FOUND,
                                EventSource.RECONCILIATION, Effect.NONE, EventOutcome.IGNORED, false, attempt.status));
            }
            return attempts.isPastExpiry(orderId, config.reconciliation().expiryGrace()).chain(expired -> {
                if (!expired) {
                    return Uni.createFrom().item(new Recorded(orderId, orderId.toString(), Reconciled.NOT_FOUND,
                            EventSource.RECONCILIATION, Effect.NONE, EventOutcome.IGNORED, false, attempt.status));
                }
                NewEvent row = new NewEvent(orderId + "||" + Reconciled.NOT_FOUND + "||", orderId.toString(), null,
                        Reconciled.NOT_FOUND, null, "404", null, null, EventSource.RECONCILIATION, EventOutcome.APPLIED,
                        "no transaction at Midtrans after the expiry: the customer never chose a method", answer);
                // order-service reads the event type; "expire" is what Midtrans calls an unpaid Snap session
                PaymentResult result = new PaymentResult(orderId, null, "expire", null, null, attempt.amount,
                        attempt.currency, null, EventSource.RECONCILIATION.name(), false, Instant.now());
                return events.insertIfAbsent(row)
                        .chain(eventId -> change(attempt, Effect.EXPIRE, new ProviderFacts(null, "expire", null, null),
                                result, eventId, "Get Status: transaction doesn't exist after the expiry"))
                        .replaceWith(new Recorded(orderId, orderId.toString(), Reconciled.NOT_FOUND,
                                EventSource.RECONCILIATION, Effect.EXPIRE, EventOutcome.APPLIED, false,
                                PaymentStatus.EXPIRED));
            });
        });
    }

    private Uni<Recorded> recordUnknownOrder(Notification fact, EventSource source) {
        return events.insertIfAbsent(newEvent(fact, source, EventOutcome.UNKNOWN_ORDER, "no payment attempt for this order"))
                .map(eventId -> new Recorded(null, fact.orderId(), fact.transactionStatus(), source, Effect.NONE,
                        EventOutcome.UNKNOWN_ORDER, eventId == null, null));
    }

    private Uni<Recorded> recordFor(PaymentAttempt attempt, Notification fact, EventSource source) {
        requireSameAmount(attempt, fact);
        boolean fromProvider = source == EventSource.RECONCILIATION;
        Effect effect = PaymentStateMachine.decide(attempt.status, fact.transactionStatus(), fact.fraudStatus(), fromProvider);
        return events.insertIfAbsent(newEvent(fact, source, effect.outcome(), describe(attempt, fact, effect)))
                .chain(eventId -> {
                    boolean duplicate = eventId == null;
                    // A redelivered fact changes nothing again, except a state change the attempt still
                    // allows (a late settlement reported earlier, now confirmed): guarded, so still once.
                    Effect toApply = duplicate && effect.target == null ? Effect.NONE : effect;
                    PaymentStatus after = toApply.target != null ? toApply.target : attempt.status;
                    return apply(attempt, fact, source, toApply, eventId)
                            .chain(() -> fromProvider ? settleAwaiting(attempt, after) : Uni.createFrom().voidItem())
                            .replaceWith(new Recorded(attempt.orderId, fact.orderId(), fact.transactionStatus(), source,
                                    toApply, toApply.outcome(), duplicate, after));
                });
    }

    private Uni<Void> apply(PaymentAttempt attempt, Notification fact, EventSource source, Effect effect, Long eventId) {
        ProviderFacts facts = new ProviderFacts(fact.transactionId(), fact.transactionStatus(), fact.fraudStatus(),
                fact.paymentType());
        return switch (effect) {
            case NONE -> {
                Kind kind = PaymentStateMachine.classify(fact.transactionStatus(), fact.fraudStatus());
                if (attempt.status == PaymentStatus.PENDING && kind == Kind.UNDECIDED && eventId != null) {
                    // e.g. the customer picked a VA: worth knowing, changes no status
                    yield attempts.noteFacts(attempt.orderId, PaymentStatus.PENDING, facts).replaceWithVoid();
                }
                if (eventId != null && attempt.status == PaymentStatus.PENDING && (kind == Kind.REFUND || kind == Kind.CHARGEBACK)) {
                    LOG.critical("PAYMENT_ANOMALY", attempt.orderId,
                            "Midtrans reports %s for a payment never seen settled; nothing applied", fact.transactionStatus());
                }
                if (eventId != null && attempt.status == PaymentStatus.SETTLED && kind == Kind.SUCCESS
                        && fact.transactionId() != null && attempt.transactionId != null
                        && !fact.transactionId().equals(attempt.transactionId)) {
                    LOG.critical("PAYMENT_DOUBLE_SETTLEMENT", attempt.orderId,
                            "A second Midtrans transaction settled for a paid order (%s); refund it", fact.transactionId());
                }
                yield Uni.createFrom().voidItem();
            }
            case AWAIT_CONFIRMATION -> {
                LOG.critical("LATE_SETTLEMENT_REPORTED", attempt.orderId,
                        "Midtrans reports %s for a payment already %s; confirming with Get Status before applying",
                        fact.transactionStatus(), attempt.status);
                yield audit.append(attempt.orderId, "LATE_SETTLEMENT_REPORTED", attempt.status.name(), attempt.status.name(),
                                fact.transactionStatus() + " reported by " + source, eventId)
                        .chain(() -> attempts.scheduleCheck(attempt.orderId, config.reconciliation().retryInterval()));
            }
            default -> change(attempt, effect, facts, result(attempt, fact, source, effect), eventId,
                    fact.transactionStatus() + (fact.fraudStatus() == null ? "" : "/" + fact.fraudStatus()) + " via " + source);
        };
    }

    /** The guarded change, its audit row and its outbox event. */
    private Uni<Void> change(PaymentAttempt attempt, Effect effect, ProviderFacts facts, PaymentResult result,
                             Long eventId, String reason) {
        Uni<Boolean> changed = effect.target != null
                ? attempts.transition(attempt.orderId, effect.from, effect.target, facts, effect == Effect.LATE_SETTLE)
                : attempts.noteFacts(attempt.orderId, PaymentStatus.SETTLED, facts);
        String newStatus = effect.target != null ? effect.target.name() : attempt.status.name();
        return changed.chain(done -> {
            if (!done) {
                // impossible while the attempt row is locked; refuse loudly rather than record a false APPLIED
                return Uni.createFrom().failure(new IllegalStateException(
                        "Attempt " + attempt.orderId + " refused " + effect + " from " + attempt.status));
            }
            return audit.append(attempt.orderId, effect.name(), attempt.status.name(), newStatus, reason, eventId)
                    .chain(() -> outbox.append(OutboxEvent.of(effect.eventType, AGGREGATE, attempt.orderId,
                            signature.sign(effect.eventType, result))));
        });
    }

    /** A Get Status answer settles every late-settlement claim still waiting for it. */
    private Uni<Void> settleAwaiting(PaymentAttempt attempt, PaymentStatus after) {
        Uni<Void> resolved = after == PaymentStatus.SETTLED
                ? events.resolveAwaiting(attempt.orderId.toString(), EventOutcome.CONFIRMED, "Get Status confirmed the payment")
                        .replaceWithVoid()
                : notConfirmed(attempt, "Get Status did not confirm the payment");
        return resolved.chain(() -> after != PaymentStatus.PENDING ? attempts.endChecks(attempt.orderId) : Uni.createFrom().voidItem());
    }

    private Uni<Void> notConfirmed(PaymentAttempt attempt, String detail) {
        return events.resolveAwaiting(attempt.orderId.toString(), EventOutcome.NOT_CONFIRMED, detail)
                .invoke(count -> {
                    if (count > 0) {
                        LOG.critical("LATE_SETTLEMENT_NOT_CONFIRMED", attempt.orderId,
                                "A reported late settlement was not confirmed by Midtrans (%s); nothing applied", detail);
                    }
                })
                .replaceWithVoid();
    }

    private void requireSameAmount(PaymentAttempt attempt, Notification fact) {
        boolean sameAmount = fact.amount().compareTo(BigDecimal.valueOf(attempt.amount)) == 0;
        boolean sameCurrency = fact.currency() == null || CURRENCY.equals(fact.currency().trim());
        if (!sameAmount || !sameCurrency) {
            LOG.critical("AMOUNT_MISMATCH", attempt.orderId,
                    "Midtrans reports %s %s (%s) for a payment of %d %s; nothing applied",
                    fact.grossAmount(), fact.currency() == null ? "" : fact.currency(), fact.transactionStatus(),
                    attempt.amount, attempt.currency);
            throw new AmountMismatch("The amount or currency does not match the payment");
        }
    }

    private static PaymentResult result(PaymentAttempt attempt, Notification fact, EventSource source, Effect effect) {
        return new PaymentResult(attempt.orderId, fact.transactionId(), fact.transactionStatus(), fact.fraudStatus(),
                fact.paymentType(), attempt.amount, attempt.currency, fact.refundRupiah(), source.name(),
                effect == Effect.LATE_SETTLE, fact.occurredAt());
    }

    private static NewEvent newEvent(Notification fact, EventSource source, EventOutcome outcome, String detail) {
        return new NewEvent(fact.idempotencyKey(), fact.orderId(), fact.transactionId(), fact.transactionStatus(),
                fact.fraudStatus(), fact.statusCode(), fact.grossAmount(), fact.refundAmount(), source, outcome, detail,
                fact.payload());
    }

    private static String describe(PaymentAttempt attempt, Notification fact, Effect effect) {
        return effect == Effect.NONE
                ? fact.transactionStatus() + " changes nothing for a " + attempt.status + " payment"
                : effect.name();
    }
}
