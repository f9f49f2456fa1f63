package dev.lunas.payment.service;

import dev.lunas.common.event.EventTypes;
import dev.lunas.common.event.OpsAlert;
import dev.lunas.common.event.OutboxEvent;
import dev.lunas.common.event.PaymentResult;
import dev.lunas.common.event.PaymentResultSignature;
import dev.lunas.common.logging.EventLog;
import dev.lunas.common.logging.Journal;
import dev.lunas.common.outbox.OutboxWriter;
import dev.lunas.payment.config.PaymentConfig;
import dev.lunas.payment.model.EventOutcome;
import dev.lunas.payment.model.EventSource;
import dev.lunas.payment.model.PaymentAttempt;
import dev.lunas.payment.model.PaymentStatus;
import dev.lunas.payment.repository.PaymentAttemptRepository;
import dev.lunas.payment.repository.PaymentAttemptRepository.ProviderFacts;
import dev.lunas.payment.repository.PaymentAuditRepository;
import dev.lunas.payment.repository.PaymentEventRepository;
import dev.lunas.payment.repository.PaymentEventRepository.Claim;
import dev.lunas.payment.repository.PaymentEventRepository.NewEvent;
import dev.lunas.payment.repository.PaymentEventRepository.Stored;
import dev.lunas.payment.service.PaymentStateMachine.Effect;
import dev.lunas.payment.service.PaymentStateMachine.Kind;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Records a verified Midtrans fact in the inbox and applies it, in one transaction: the inbox row, the
 * guarded change of the attempt, its audit row and its outbox events (results and OpsAlerts) commit
 * together or not at all. Facts about one order are serialised by a lock on its attempt row, so any
 * number of concurrent copies of a notification apply it once. Every published PaymentResult is signed
 * ({@link PaymentResultSignature}), so order-service can tell it from a forgery.
 * <p>
 * Claims (facts only Get Status may confirm, see {@link PaymentStateMachine}) are resolved by the next
 * Get Status answer: CONFIRMED when it reports the same fact (which it then applies itself), else
 * NOT_CONFIRMED. A recorded claim or deferred fact is not a mere duplicate: a Get Status answer with the
 * same key applies it, and a deferred fact is re-evaluated when its turn comes.
 * <p>
 * Each transaction notes the business events it caused (applied changes, alerts) in the caller's
 * {@link Journal}; the caller writes it out only once the transaction has committed ({@link CommittedEffects}).
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

    /** Where a fact landed in the inbox: its row, whether this call wrote it, and what to apply now. */
    private record Landing(Long eventId, boolean fresh, boolean duplicate, Effect effect, boolean confirm) {
    }

    /** What one transaction leaves for after its commit: the business events to log and the OpsAlerts to count. */
    private record AfterCommit(Journal journal, List<PaymentAlert> alerts) {

        AfterCommit(Journal journal) {
            this(journal, new ArrayList<>());
        }
    }

    /** A notification (no claim is resolved by it). */
    public Uni<Recorded> record(MidtransFact fact, EventSource source, Journal journal) {
        return record(fact, source, 0, journal);
    }

    /**
     * @param horizon the newest inbox row when the Get Status question was asked: a Get Status answer
     *                resolves only claims up to it (a claim recorded while the question was under way waits
     *                for the next answer)
     */
    @WithTransaction
    public Uni<Recorded> record(MidtransFact fact, EventSource source, long horizon, Journal journal) {
        return fact.ourOrderId()
                .map(attempts::lock)
                .orElseGet(() -> Uni.createFrom().nullItem())
                .chain(attempt -> attempt == null
                        ? recordUnknownOrder(fact, source, journal)
                        : recordFor(attempt, fact, source, horizon, new AfterCommit(journal)));
    }

    /** The newest inbox row, read before a Get Status question. */
    @WithSession
    public Uni<Long> horizon() {
        return events.newestId();
    }

    /**
     * A validly signed fact whose amount or currency is not the attempt's (the caller answers 422 and
     * applies nothing): its inbox row, audit row and OpsAlert, in a transaction of their own, once per
     * fact (a redelivery records nothing and is answered as a duplicate).
     */
    @WithTransaction
    public Uni<Recorded> recordMismatch(MidtransFact fact, EventSource source, Journal journal) {
        UUID orderId = fact.ourOrderId().orElseThrow();
        AfterCommit afterCommit = new AfterCommit(journal);
        String currency = fact.currency() == null ? "" : fact.currency();
        String key = "amount-mismatch|" + fact.idempotencyKey() + "|" + fact.amount().stripTrailingZeros().toPlainString()
                + "|" + currency;
        return attempts.lock(orderId).chain(attempt -> events.insertIfAbsent(new NewEvent(key, fact.orderId(),
                        fact.transactionId(), fact.transactionStatus(), fact.fraudStatus(), fact.statusCode(), fact.grossAmount(),
                        fact.refundAmount(), source, EventOutcome.AMOUNT_MISMATCH, "amount or currency differs; nothing applied",
                        fact.payload()))
                .chain(eventId -> {
                    String reason = "Midtrans reports " + fact.grossAmount() + " " + currency + " (" + fact.transactionStatus()
                            + ") for a payment of " + attempt.amount() + " " + attempt.currency() + "; nothing applied";
                    Uni<Void> recorded = eventId == null
                            ? Uni.createFrom().voidItem()
                            : audit.append(orderId, "AMOUNT_MISMATCH", attempt.status().name(), attempt.status().name(), reason, eventId)
                                    .chain(() -> alert(PaymentAlert.AMOUNT_MISMATCH, orderId, reason, afterCommit));
                    return recorded.replaceWith(() -> new Recorded(orderId, fact.transactionStatus(), Effect.NONE,
                            EventOutcome.AMOUNT_MISMATCH, eventId == null, attempt.status(), false, afterCommit.alerts()));
                }));
    }

    /**
     * Get Status does not know the order: the customer never chose a method. Past the attempt's expiry
     * (plus a grace period) that means the payment expired; before it, nothing is known yet and the next
     * check backs off. Either way no claim waiting for confirmation is confirmed (but an expiry claim
     * when the attempt expires now).
     */
    @WithTransaction
    public Uni<Recorded> recordNotFound(UUID orderId, String answer, long horizon, Journal journal) {
        AfterCommit afterCommit = new AfterCommit(journal);
        return attempts.lock(orderId).chain(attempt -> {
            if (attempt.status() != PaymentStatus.PENDING) {
                return resolveClaims(attempt, null, null, null, attempt.status(), horizon, null, afterCommit)
                        .chain(() -> attempts.endChecks(orderId))
                        .replaceWith(() -> notFound(orderId, Effect.NONE, EventOutcome.IGNORED, attempt.status(), afterCommit));
            }
            return attempts.isPastExpiry(orderId, config.reconciliation().expiryGrace()).chain(expired -> {
                if (!expired) {
                    return resolveClaims(attempt, null, null, null, PaymentStatus.PENDING, horizon, null, afterCommit)
                            .chain(() -> attempts.backOffNotFound(orderId, config.reconciliation().recheckInterval(),
                                    config.reconciliation().notFoundBackoffCap(), config.reconciliation().expiryGrace()))
                            .replaceWith(() -> notFound(orderId, Effect.NONE, EventOutcome.IGNORED, PaymentStatus.PENDING, afterCommit));
                }
                NewEvent row = new NewEvent(orderId + "||" + Reconciled.NOT_FOUND + "||", orderId.toString(), null,
                        Reconciled.NOT_FOUND, null, "404", null, null, EventSource.RECONCILIATION, EventOutcome.APPLIED,
                        "no transaction at Midtrans after the expiry: the customer never chose a method", answer);
                // order-service reads the event type; "expire" is what Midtrans calls an unpaid Snap session
                PaymentResult result = new PaymentResult(orderId, null, "expire", null, null, attempt.amount(),
                        attempt.currency(), null, EventSource.RECONCILIATION.name(), false, Instant.now());
                return events.insertIfAbsent(row)
                        .chain(eventId -> change(attempt, Effect.EXPIRE, new ProviderFacts(null, "expire", null, null),
                                result, eventId, "Get Status: transaction doesn't exist after the expiry"))
                        .chain(() -> resolveClaims(attempt, "expire", null, null, PaymentStatus.EXPIRED, horizon, null, afterCommit))
                        .replaceWith(() -> notFound(orderId, Effect.EXPIRE, EventOutcome.APPLIED, PaymentStatus.EXPIRED, afterCommit));
            });
        });
    }

    private static Recorded notFound(UUID orderId, Effect effect, EventOutcome outcome, PaymentStatus after,
                                     AfterCommit afterCommit) {
        return journaled(new Recorded(orderId, Reconciled.NOT_FOUND, effect, outcome, false, after, false, afterCommit.alerts()),
                orderId, EventSource.RECONCILIATION, afterCommit.journal());
    }

    private Uni<Recorded> recordUnknownOrder(MidtransFact fact, EventSource source, Journal journal) {
        return events.insertIfAbsent(newEvent(fact, source, EventOutcome.UNKNOWN_ORDER, "no payment attempt for this order"))
                .map(eventId -> journaled(new Recorded(null, fact.transactionStatus(), Effect.NONE, EventOutcome.UNKNOWN_ORDER,
                        eventId == null, null, false, List.of()), fact.orderId(), source, journal));
    }

    private Uni<Recorded> recordFor(PaymentAttempt attempt, MidtransFact fact, EventSource source, long horizon,
                                    AfterCommit afterCommit) {
        requireSameAmount(attempt, fact);
        boolean fromProvider = source == EventSource.RECONCILIATION;
        Effect effect = PaymentStateMachine.decide(attempt.status(), fact.transactionStatus(), fact.fraudStatus(), fromProvider);
        return events.insertIfAbsent(newEvent(fact, source, effect.outcome(), describe(attempt, fact, effect)))
                .chain(eventId -> eventId != null
                        ? Uni.createFrom().item(new Landing(eventId, true, false, effect,
                                effect == Effect.AWAIT_CONFIRMATION))
                        : events.find(fact.idempotencyKey())
                                .chain(stored -> landOnRecorded(attempt, fact, effect, stored, fromProvider, afterCommit.journal())))
                .chain(landing -> {
                    PaymentStatus after = landing.effect().target != null ? landing.effect().target : attempt.status();
                    return apply(attempt, fact, source, landing, afterCommit)
                            .chain(() -> fromProvider
                                    ? resolveClaims(attempt, fact.transactionStatus(), fact.fraudStatus(), fact.refundAmount(), after,
                                            horizon, landing.eventId(), afterCommit)
                                    : Uni.createFrom().voidItem())
                            .chain(() -> after == PaymentStatus.SETTLED
                                    ? promoteDeferred(attempt, afterCommit.journal())
                                    : Uni.createFrom().item(0))
                            .chain(promoted -> claimsLeft(attempt, landing, fromProvider).map(left -> promoted > 0 || left))
                            .chain(waiting -> followUp(attempt, after, waiting, fromProvider)
                                    .replaceWith(() -> journaled(new Recorded(attempt.orderId(), fact.transactionStatus(),
                                            landing.effect(), landing.effect().outcome(), landing.duplicate(), after, waiting,
                                            afterCommit.alerts()), attempt.orderId(), source, afterCommit.journal())));
                });
    }

    /**
     * The fact's key is already recorded. A Get Status answer applies a claim still waiting for it (or one
     * it did not confirm earlier); a deferred fact is re-evaluated now that the attempt may have moved on;
     * anything else is a redelivery and changes nothing again, except a state change the attempt still
     * allows (guarded, so still once).
     */
    private Uni<Landing> landOnRecorded(PaymentAttempt attempt, MidtransFact fact, Effect effect, Stored stored,
                                        boolean fromProvider, Journal journal) {
        boolean applies = effect.eventType != null;
        boolean openClaim = stored.outcome() == EventOutcome.AWAITING_CONFIRMATION || stored.outcome() == EventOutcome.NOT_CONFIRMED;
        if (fromProvider && openClaim && applies) {
            // resolveClaims confirms a waiting claim; one ended NOT_CONFIRMED earlier is confirmed here
            Uni<Void> mark = stored.outcome() == EventOutcome.NOT_CONFIRMED
                    ? events.reevaluate(stored.id(), EventOutcome.CONFIRMED, "Get Status now reports it")
                    : Uni.createFrom().voidItem();
            return mark.replaceWith(new Landing(stored.id(), false, false, effect, false));
        }
        if (stored.outcome() == EventOutcome.DEFERRED && effect != Effect.DEFER) {
            journal.info("PAYMENT_EVENT_REEVALUATED", attempt.orderId(), "Deferred %s re-evaluated for a %s payment: %s",
                    fact.transactionStatus(), attempt.status(), effect);
            return events.reevaluate(stored.id(), effect.outcome(), describe(attempt, fact, effect))
                    .replaceWith(new Landing(stored.id(), false, false, effect, effect == Effect.AWAIT_CONFIRMATION));
        }
        Effect toApply = effect.target == null ? Effect.NONE : effect;
        return Uni.createFrom().item(new Landing(stored.id(), false, true, toApply, false));
    }

    private Uni<Void> apply(PaymentAttempt attempt, MidtransFact fact, EventSource source, Landing landing,
                            AfterCommit afterCommit) {
        ProviderFacts facts = new ProviderFacts(fact.transactionId(), fact.transactionStatus(), fact.fraudStatus(),
                fact.paymentType());
        Long eventId = landing.eventId();
        return switch (landing.effect()) {
            case NONE -> landing.fresh() ? noteUnchanged(attempt, fact, facts, eventId, afterCommit) : Uni.createFrom().voidItem();
            case DEFER -> {
                afterCommit.journal().warn("PAYMENT_EVENT_DEFERRED", attempt.orderId(),
                        "Midtrans reports %s for a %s payment: deferred until the settlement applies",
                        fact.transactionStatus(), attempt.status());
                yield Uni.createFrom().voidItem();
            }
            case AWAIT_CONFIRMATION -> awaitConfirmation(attempt, fact, source, eventId, afterCommit.journal());
            default -> change(attempt, landing.effect(), facts, result(attempt, fact, source, landing.effect()), eventId,
                    fact.transactionStatus() + (fact.fraudStatus() == null ? "" : "/" + fact.fraudStatus()) + " via " + source);
        };
    }

    /** A new fact that changes no status: noted on a pending attempt, alerted when a person must act. */
    private Uni<Void> noteUnchanged(PaymentAttempt attempt, MidtransFact fact, ProviderFacts facts, Long eventId,
                                    AfterCommit afterCommit) {
        Kind kind = PaymentStateMachine.classify(fact.transactionStatus(), fact.fraudStatus());
        if (attempt.status() == PaymentStatus.PENDING && kind == Kind.UNDECIDED) {
            // e.g. the customer picked a VA: worth knowing, changes no status
            Uni<Void> noted = attempts.noteFacts(attempt.orderId(), PaymentStatus.PENDING, facts).replaceWithVoid();
            if ("capture".equals(fact.transactionStatus()) && "challenge".equals(fact.fraudStatus())) {
                return noted.chain(() -> alert(PaymentAlert.CAPTURE_CHALLENGED, attempt.orderId(),
                        "Card payment " + fact.transactionId() + " is held as challenge by fraud detection; approve or deny"
                                + " it in the Midtrans dashboard before Midtrans cancels it", afterCommit));
            }
            return noted;
        }
        if (attempt.status() == PaymentStatus.SETTLED && kind == Kind.SUCCESS
                && fact.transactionId() != null && attempt.transactionId() != null
                && !fact.transactionId().equals(attempt.transactionId())) {
            return audit.append(attempt.orderId(), "DOUBLE_SETTLEMENT", attempt.status().name(), attempt.status().name(),
                            "second transaction " + fact.transactionId() + " settled", eventId)
                    .chain(() -> alert(PaymentAlert.DOUBLE_SETTLEMENT, attempt.orderId(),
                            "A second Midtrans transaction (" + fact.transactionId() + ") settled an order already paid by "
                                    + attempt.transactionId() + "; refund one of them", afterCommit));
        }
        return Uni.createFrom().voidItem();
    }

    /** The claim is recorded; Get Status is asked right after the answer, and by the reconciler if that fails. */
    private Uni<Void> awaitConfirmation(PaymentAttempt attempt, MidtransFact fact, EventSource source, Long eventId,
                                        Journal journal) {
        boolean money = PaymentStateMachine.classify(fact.transactionStatus(), fact.fraudStatus()) == Kind.SUCCESS;
        if (money) {
            journal.critical("LATE_SETTLEMENT_REPORTED", attempt.orderId(),
                    "Midtrans reports %s for a payment already %s; confirming with Get Status before applying",
                    fact.transactionStatus(), attempt.status());
        } else {
            journal.warn("CONFIRMATION_REQUESTED", attempt.orderId(),
                    "Midtrans reports %s for a %s payment; confirming with Get Status before applying",
                    fact.transactionStatus(), attempt.status());
        }
        return audit.append(attempt.orderId(), money ? "LATE_SETTLEMENT_REPORTED" : "CONFIRMATION_REQUESTED",
                        attempt.status().name(), attempt.status().name(), fact.transactionStatus() + " reported by " + source, eventId)
                .chain(() -> attempts.scheduleCheck(attempt.orderId(), config.reconciliation().retryInterval()));
    }

    /** The guarded change, its audit row and its outbox event. */
    private Uni<Void> change(PaymentAttempt attempt, Effect effect, ProviderFacts facts, PaymentResult result,
                             Long eventId, String reason) {
        Uni<Boolean> changed = effect.target != null
                ? attempts.transition(attempt.orderId(), effect.from, effect.target, facts, effect == Effect.LATE_SETTLE)
                : attempts.noteFacts(attempt.orderId(), PaymentStatus.SETTLED, facts);
        String newStatus = effect.target != null ? effect.target.name() : attempt.status().name();
        return changed.chain(done -> {
            if (!done) {
                // impossible while the attempt row is locked; refuse loudly rather than record a false APPLIED
                return Uni.createFrom().failure(new IllegalStateException(
                        "Attempt " + attempt.orderId() + " refused " + effect + " from " + attempt.status()));
            }
            return audit.append(attempt.orderId(), effect.name(), attempt.status().name(), newStatus, reason, eventId)
                    .chain(() -> outbox.append(OutboxEvent.of(effect.eventType, AGGREGATE, attempt.orderId(),
                            signature.sign(effect.eventType, result))));
        });
    }

    /**
     * A Get Status answer (or "doesn't exist" when {@code answerStatus} is null) ends the claims of the
     * order recorded before it was asked ({@code horizon}; and the claim that is the answer's own fact,
     * {@code sameFact}): CONFIRMED when it reports the same fact and the attempt has moved with it,
     * NOT_CONFIRMED otherwise. An unconfirmed late settlement raises an alert.
     */
    private Uni<Void> resolveClaims(PaymentAttempt attempt, String answerStatus, String answerFraud, String answerRefund,
                                    PaymentStatus after, long horizon, Long sameFact, AfterCommit afterCommit) {
        return events.awaiting(attempt.orderId().toString()).chain(claims -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Claim claim : claims) {
                if (claim.id() > horizon && !Long.valueOf(claim.id()).equals(sameFact)) {
                    // recorded while the question was under way: the next answer resolves it
                    continue;
                }
                boolean confirmed = answerStatus != null && after != PaymentStatus.PENDING
                        && PaymentStateMachine.reports(answerStatus, answerFraud, answerRefund,
                                claim.transactionStatus(), claim.fraudStatus(), claim.refundAmount());
                String detail = "Get Status " + (answerStatus == null ? "does not know the transaction" : "reports " + answerStatus)
                        + (confirmed ? "" : "; nothing applied");
                chain = chain.chain(() -> events.resolve(claim.id(), confirmed ? EventOutcome.CONFIRMED : EventOutcome.NOT_CONFIRMED,
                        detail)).chain(() -> confirmed ? Uni.createFrom().voidItem() : notConfirmed(attempt, claim, detail, afterCommit));
            }
            return chain;
        });
    }

    private Uni<Void> notConfirmed(PaymentAttempt attempt, Claim claim, String detail, AfterCommit afterCommit) {
        if (PaymentStateMachine.classify(claim.transactionStatus(), claim.fraudStatus()) != Kind.SUCCESS) {
            afterCommit.journal().warn("CLAIM_NOT_CONFIRMED", attempt.orderId(), "A reported %s was not confirmed by Midtrans (%s)",
                    claim.transactionStatus(), detail);
            return Uni.createFrom().voidItem();
        }
        return alert(PaymentAlert.LATE_SETTLEMENT_NOT_CONFIRMED, attempt.orderId(),
                "A reported late settlement (" + claim.transactionStatus() + ") for a " + attempt.status()
                        + " payment was not confirmed by Midtrans: " + detail, afterCommit);
    }

    /**
     * True when claims of the order still wait for Get Status after a notification: this one, or earlier
     * ones a status change (which ends the regular checks) must not leave without a check.
     */
    private Uni<Boolean> claimsLeft(PaymentAttempt attempt, Landing landing, boolean fromProvider) {
        if (landing.confirm()) {
            return Uni.createFrom().item(true);
        }
        if (!fromProvider && landing.effect().target == null) {
            // a notification that changed no status ended no check
            return Uni.createFrom().item(false);
        }
        // after a status change, or claims a Get Status answer could not resolve (recorded after the question)
        return events.countAwaiting(attempt.orderId().toString()).map(count -> count > 0);
    }

    /** Deferred refunds and chargebacks of a settled attempt become claims for Get Status; answers how many. */
    private Uni<Integer> promoteDeferred(PaymentAttempt attempt, Journal journal) {
        return events.promoteDeferred(attempt.orderId().toString()).invoke(count -> {
            if (count > 0) {
                journal.info("DEFERRED_PROMOTED", attempt.orderId(), "%d deferred fact(s) now await Get Status", count);
            }
        });
    }

    /** The attempt's next check: soon while claims wait, none once closed and quiet, regular while pending. */
    private Uni<Void> followUp(PaymentAttempt attempt, PaymentStatus after, boolean claimsWaiting, boolean fromProvider) {
        if (claimsWaiting) {
            return attempts.scheduleCheck(attempt.orderId(), config.reconciliation().retryInterval());
        }
        if (after == PaymentStatus.PENDING) {
            return attempts.markFound(attempt.orderId(), config.reconciliation().recheckInterval());
        }
        return fromProvider ? attempts.endChecks(attempt.orderId()) : Uni.createFrom().voidItem();
    }

    /** Writes an OpsAlert in the caller's transaction and notes it for the log and the metric. */
    private Uni<Void> alert(PaymentAlert alert, UUID orderId, String message, AfterCommit afterCommit) {
        afterCommit.journal().critical("PAYMENT_ALERT_" + alert.name(), orderId, "%s", message);
        afterCommit.alerts().add(alert);
        return outbox.append(OutboxEvent.of(EventTypes.OPS_ALERT, AGGREGATE, orderId, OpsAlert.critical(alert.name(), orderId, message)));
    }

    private void requireSameAmount(PaymentAttempt attempt, MidtransFact fact) {
        boolean sameAmount = fact.amount().compareTo(BigDecimal.valueOf(attempt.amount())) == 0;
        boolean sameCurrency = fact.currency() == null || CURRENCY.equals(fact.currency());
        if (!sameAmount || !sameCurrency) {
            LOG.critical("AMOUNT_MISMATCH", attempt.orderId(),
                    "Midtrans reports %s %s (%s) for a payment of %d %s; nothing applied",
                    fact.grossAmount(), fact.currency() == null ? "" : fact.currency(), fact.transactionStatus(),
                    attempt.amount(), attempt.currency());
            throw new AmountMismatchException("The amount or currency does not match the payment");
        }
    }

    /**
     * Journals what recording a fact did to the payment: the change it applied (critical when money arrives
     * for a closed payment or leaves a settled one), else that it was recorded and how it was answered.
     */
    private static Recorded journaled(Recorded recorded, Object orderId, EventSource source, Journal journal) {
        String status = recorded.transactionStatus();
        switch (recorded.effect()) {
            case SETTLE -> journal.info("PAYMENT_SETTLED", orderId, "Payment settled (%s via %s)", status, source);
            case LATE_SETTLE -> journal.critical("PAYMENT_SETTLED_LATE", orderId,
                    "Midtrans confirmed money for a payment already closed; applied as a late settlement");
            case FAIL -> journal.info("PAYMENT_FAILED", orderId, "Payment failed (%s via %s)", status, source);
            case EXPIRE -> journal.info("PAYMENT_EXPIRED", orderId, "Payment expired (%s via %s)", status, source);
            case REFUND -> journal.critical("PAYMENT_REFUNDED", orderId, "Settled payment refunded (%s)", status);
            case CHARGEBACK -> journal.critical("PAYMENT_CHARGED_BACK", orderId, "Settled payment charged back (%s)", status);
            case REVERSE -> journal.critical("PAYMENT_REVERSED", orderId, "Settled payment reversed by Midtrans (%s)", status);
            default -> journal.info(recorded.orderId() == null ? "PAYMENT_EVENT_UNKNOWN_ORDER" : "PAYMENT_EVENT_RECORDED",
                    orderId, "%s via %s recorded: %s", status, source, recorded.answer());
        }
        return recorded;
    }

    private static PaymentResult result(PaymentAttempt attempt, MidtransFact fact, EventSource source, Effect effect) {
        return new PaymentResult(attempt.orderId(), fact.transactionId(), fact.transactionStatus(), fact.fraudStatus(),
                fact.paymentType(), attempt.amount(), attempt.currency(), fact.refundRupiah(), source.name(),
                effect == Effect.LATE_SETTLE, fact.occurredAt());
    }

    private static NewEvent newEvent(MidtransFact fact, EventSource source, EventOutcome outcome, String detail) {
        return new NewEvent(fact.idempotencyKey(), fact.orderId(), fact.transactionId(), fact.transactionStatus(),
                fact.fraudStatus(), fact.statusCode(), fact.grossAmount(), fact.refundAmount(), source, outcome, detail,
                fact.payload());
    }

    private static String describe(PaymentAttempt attempt, MidtransFact fact, Effect effect) {
        return switch (effect) {
            case NONE -> fact.transactionStatus() + " changes nothing for a " + attempt.status() + " payment";
            case DEFER -> fact.transactionStatus() + " before the settlement: deferred";
            case AWAIT_CONFIRMATION -> fact.transactionStatus() + " for a " + attempt.status() + " payment: awaiting Get Status";
            default -> effect.name();
        };
    }
}
