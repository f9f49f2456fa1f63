package dev.lunas.order.service;

import dev.lunas.common.event.EventTypes;
import dev.lunas.common.event.PaymentResult;
import dev.lunas.common.logging.EventLog;
import dev.lunas.common.logging.Journal;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.order.model.ClosedReason;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.EntitlementStatus;
import dev.lunas.order.model.OrderStatus;
import dev.lunas.order.model.OrderTransition;
import dev.lunas.order.repository.OrderRepository;
import dev.lunas.order.repository.ProcessedEventRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Applies one verified payment fact to its order, in one transaction with the processed-event record,
 * the audit row, the entitlement and the outbox events. The order row is locked first, so the decision
 * taken on its status holds until commit (the expiry job skips locked rows).
 */
@ApplicationScoped
public class PaymentEventLedger {

    public enum Outcome {
        APPLIED,
        DUPLICATE,
        IGNORED
    }

    private static final EventLog LOG = EventLog.of(PaymentEventLedger.class, "payment-events");
    private static final Duration NOT_PAID_YET_RETRY = Duration.ofMinutes(1);

    private final ProcessedEventRepository processed;
    private final OrderRepository orders;
    private final Holdings holdings;
    private final Entitlements entitlements;
    private final AuditTrail audit;
    private final OrderEvents events;

    public PaymentEventLedger(ProcessedEventRepository processed, OrderRepository orders, Holdings holdings,
                              Entitlements entitlements, AuditTrail audit, OrderEvents events) {
        this.processed = processed;
        this.orders = orders;
        this.holdings = holdings;
        this.entitlements = entitlements;
        this.audit = audit;
        this.events = events;
    }

    @WithTransaction
    public Uni<Outcome> apply(UUID eventId, String eventType, PaymentResult result, Journal journal) {
        return processed.claim(eventId, eventType, result.orderId()).chain(first -> {
            if (!first) {
                journal.info("PAYMENT_EVENT_DUPLICATE", result.orderId(), "%s %s was already processed", eventType, eventId);
                return Uni.createFrom().item(Outcome.DUPLICATE);
            }
            return orders.findForUpdate(result.orderId())
                    .onItem().ifNull().failWith(() -> ProblemException.notFound("order-not-found",
                            "There is no order " + result.orderId()))
                    .chain(order -> dispatch(eventType, order, result, journal))
                    .call(outcome -> outcome == Outcome.APPLIED
                            ? Uni.createFrom().voidItem()
                            : processed.recordOutcome(eventId, outcome.name()));
        });
    }

    private Uni<Outcome> dispatch(String eventType, CustomerOrder order, PaymentResult result, Journal journal) {
        String actor = Actors.paymentService(result.source());
        return switch (eventType) {
            case EventTypes.PAYMENT_SETTLED -> settle(order, result, actor, journal);
            case EventTypes.PAYMENT_FAILED -> close(order, OrderTransition.FAILED, eventType, result, actor, journal);
            case EventTypes.PAYMENT_EXPIRED -> close(order, OrderTransition.EXPIRED, eventType, result, actor, journal);
            case EventTypes.PAYMENT_REFUNDED, EventTypes.PAYMENT_CHARGED_BACK, EventTypes.PAYMENT_REVERSED ->
                    takeBack(order, eventType, result, actor, journal);
            default -> throw new IllegalArgumentException("Unsupported payment event " + eventType);
        };
    }

    private Uni<Outcome> settle(CustomerOrder order, PaymentResult result, String actor, Journal journal) {
        requireAmountMatches(order, result);
        Instant now = Instant.now();
        Instant paidAt = result.occurredAt() != null ? result.occurredAt() : now;
        OrderStatus from = order.status();
        if (from == OrderStatus.PAID) {
            return settledAgain(order, result, actor, journal);
        }
        boolean late = !from.isOpen();
        OrderTransition transition = late ? OrderTransition.LATE_SETTLEMENT : OrderTransition.SETTLED;
        return orders.markPaid(transition, order.id(), paidAt, result.transactionId(), now)
                .invoke(moved -> requireMoved(moved, order, transition))
                .chain(() -> audit.record(order.id(), actor, "status", from, OrderStatus.PAID,
                        late ? "late_settlement" : "settled"))
                .chain(() -> late ? reinstate(order, journal) : Uni.createFrom().voidItem())
                .chain(() -> entitlements.grant(order, now, journal))
                .chain(() -> events.paid(order, paidAt, entitlements.accessUrl(), journal))
                .chain(() -> late
                        ? events.alert(order.id(), "late_settlement", "Order " + order.id() + " was " + from
                                + " when Midtrans confirmed transaction " + result.transactionId()
                                + "; it is now PAID and access was granted", journal)
                        : Uni.createFrom().voidItem())
                .invoke(() -> journal.info("ORDER_PAID", order.id(), "amount=%d transaction=%s late=%s",
                        order.amount(), result.transactionId(), late))
                .replaceWith(Outcome.APPLIED);
    }

    /** A paid customer always gets access: the quota place comes back even when it is gone, and the overrun is reported. */
    private Uni<Void> reinstate(CustomerOrder order, Journal journal) {
        return holdings.reinstate(order).chain(use -> use.overrun()
                ? events.alert(order.id(), "quota_overrun", "Package " + order.packageId() + " now has "
                        + use.reserved() + " places taken of a quota of " + use.quota() + " after a late settlement", journal)
                : Uni.createFrom().voidItem());
    }

    private Uni<Outcome> settledAgain(CustomerOrder order, PaymentResult result, String actor, Journal journal) {
        boolean sameTransaction = result.transactionId() != null
                && result.transactionId().equals(order.paymentTransactionId());
        if (sameTransaction) {
            return audit.record(order.id(), actor, "payment_event", OrderStatus.PAID, OrderStatus.PAID,
                            "settlement of transaction " + result.transactionId() + " repeated")
                    .replaceWith(Outcome.DUPLICATE);
        }
        return audit.record(order.id(), actor, "payment_event", OrderStatus.PAID, OrderStatus.PAID,
                        "second settlement by transaction " + result.transactionId() + ": refund due")
                .chain(() -> events.alert(order.id(), "double_payment", "Order " + order.id()
                        + " was paid by transaction " + order.paymentTransactionId() + " and again by "
                        + result.transactionId() + " (" + result.grossAmount() + " " + result.currency()
                        + "); refund the second payment", journal))
                .replaceWith(Outcome.IGNORED);
    }

    private Uni<Outcome> close(CustomerOrder order, OrderTransition transition, String eventType, PaymentResult result,
                               String actor, Journal journal) {
        OrderStatus from = order.status();
        if (!transition.allowedFrom(from)) {
            journal.info("PAYMENT_EVENT_IGNORED", order.id(), "%s for an order that is %s", eventType, from);
            return audit.record(order.id(), actor, "payment_event", from, from,
                            eventType + " ignored: the order is " + from)
                    .replaceWith(Outcome.IGNORED);
        }
        Instant now = Instant.now();
        ClosedReason reason = transition == OrderTransition.FAILED ? ClosedReason.PAYMENT_FAILED
                : order.placeHeldUntil() != null ? ClosedReason.HOLD_LAPSED : ClosedReason.PAYMENT_EXPIRED;
        return orders.close(transition, order.id(), now, reason)
                .invoke(moved -> requireMoved(moved, order, transition))
                .chain(() -> audit.record(order.id(), actor, "status", from, transition.target(),
                        eventType + " (" + result.transactionStatus() + ")"))
                .chain(() -> holdings.release(List.of(order), now))
                .chain(() -> transition == OrderTransition.EXPIRED
                        ? events.expired(order, now, journal)
                        : Uni.createFrom().voidItem())
                .invoke(() -> journal.info("ORDER_" + transition.target(), order.id(), "%s transaction=%s",
                        eventType, result.transactionId()))
                .replaceWith(Outcome.APPLIED);
    }

    /**
     * Refund, chargeback or reversal after settlement: the order stays PAID (its history is true) and the
     * customer loses access, for good or until a person decides (partial).
     */
    private Uni<Outcome> takeBack(CustomerOrder order, String eventType, PaymentResult result, String actor,
                                  Journal journal) {
        if (order.status() != OrderStatus.PAID) {
            // The settlement may still be on its way (deliveries can overtake each other): ask to be told again.
            throw ProblemException.unavailable("order-not-paid-yet", "Order " + order.id() + " is " + order.status()
                    + "; " + eventType + " can only follow its settlement", NOT_PAID_YET_RETRY);
        }
        EntitlementStatus target = restrictionFor(eventType, result, order.amount());
        String reason = eventType + " (" + result.transactionStatus() + ", refund amount " + result.refundAmount() + ")";
        return entitlements.restrict(order, target, Instant.now(), journal).chain(restricted -> restricted
                ? audit.record(order.id(), actor, "entitlement", null, target, reason)
                        .chain(() -> events.alert(order.id(), alertCode(eventType), "Order " + order.id() + ": "
                                + reason + "; course access is now " + target, journal))
                        .replaceWith(Outcome.APPLIED)
                : audit.record(order.id(), actor, "payment_event", null, null,
                                reason + " ignored: access already " + target + " or more restricted")
                        .replaceWith(Outcome.IGNORED));
    }

    static EntitlementStatus restrictionFor(String eventType, PaymentResult result, long orderAmount) {
        if (EventTypes.PAYMENT_REVERSED.equals(eventType)) {
            return EntitlementStatus.REVOKED;
        }
        String status = result.transactionStatus() == null ? "" : result.transactionStatus().toLowerCase(Locale.ROOT);
        boolean partial = status.startsWith("partial_")
                && (result.refundAmount() == null || result.refundAmount() < orderAmount);
        return partial ? EntitlementStatus.SUSPENDED : EntitlementStatus.REVOKED;
    }

    private static String alertCode(String eventType) {
        return switch (eventType) {
            case EventTypes.PAYMENT_REFUNDED -> "payment_refunded";
            case EventTypes.PAYMENT_CHARGED_BACK -> "payment_charged_back";
            default -> "payment_reversed";
        };
    }

    private static void requireAmountMatches(CustomerOrder order, PaymentResult result) {
        if (result.grossAmount() != order.amount() || !"IDR".equalsIgnoreCase(result.currency())) {
            LOG.critical("PAYMENT_AMOUNT_MISMATCH", order.id(), "settlement of %d %s refused for an order of %d %s",
                    result.grossAmount(), result.currency(), order.amount(), order.currency());
            throw ProblemException.unprocessable("amount-mismatch", "Settlement of " + result.grossAmount() + " "
                    + result.currency() + " does not match order " + order.id() + " (" + order.amount() + " "
                    + order.currency() + ")");
        }
    }

    private static void requireMoved(boolean moved, CustomerOrder order, OrderTransition transition) {
        if (!moved) {
            // The row is locked and its status was checked: a refusal here is a bug, and must roll back.
            throw new IllegalStateException(transition + " refused for locked order " + order.id() + " in " + order.status());
        }
    }
}
