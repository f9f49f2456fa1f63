package dev.lunas.order.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.common.logging.Journal;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.order.model.CustomerOrder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Reading orders, "pay again", the catalogue and the entitlement lookup. */
@ApplicationScoped
public class OrderService {

    private static final EventLog LOG = EventLog.of(OrderService.class, "orders");

    /** The answer to "pay again": the order, and when payment is not yet available, how long to wait. */
    public record PaymentAnswer(OrderView order, Duration retryAfter) {
    }

    private final OrderQueries queries;
    private final PaymentGateway payments;
    private final CheckoutLedger ledger;

    public OrderService(OrderQueries queries, PaymentGateway payments, CheckoutLedger ledger) {
        this.queries = queries;
        this.payments = payments;
        this.ledger = ledger;
    }

    public Uni<OrderView> find(String orderId) {
        return existing(orderId).map(OrderView::of);
    }

    public Uni<List<PackageView>> packages() {
        return queries.activePackages().map(packages -> packages.stream().map(PackageView::of).toList());
    }

    public Uni<List<EntitlementView>> entitlements(String email) {
        return queries.entitlements(email.trim().toLowerCase(Locale.ROOT))
                .map(found -> found.stream().map(EntitlementView::of).toList());
    }

    /**
     * Asks payment-service for the order's Snap token (the same one while the payment is pending) and
     * stores it; 409 when the order can no longer be paid.
     */
    public Uni<PaymentAnswer> pay(String orderId) {
        return existing(orderId).chain(order -> {
            if (!order.status().isOpen() || !order.expiresAt().isAfter(Instant.now())) {
                return Uni.createFrom().failure(ProblemException.conflict("order-closed",
                        "The order is " + (order.status().isOpen() ? "past its payment deadline" : order.status())
                                + " and can no longer be paid"));
            }
            return payments.requestToken(order).chain(outcome -> {
                if (outcome instanceof PaymentGateway.Issued issued) {
                    Journal journal = new Journal();
                    return ledger.recordPaymentLink(order.id(), issued.token(), issued.redirectUrl(), journal)
                            .onFailure(DatabaseErrors::isRetryable).transform(failure -> ProblemException.conflict(
                                    "order-busy", "The order is being changed by another request; ask again",
                                    Duration.ofSeconds(1)))
                            .invoke(() -> journal.writeTo(LOG))
                            .map(updated -> new PaymentAnswer(OrderView.of(updated), null));
                }
                if (outcome instanceof PaymentGateway.Unavailable unavailable) {
                    return Uni.createFrom().item(new PaymentAnswer(OrderView.of(order, unavailable.retryAfter()),
                            unavailable.retryAfter()));
                }
                return Uni.createFrom().failure(refusal((PaymentGateway.Refused) outcome));
            });
        });
    }

    /** payment-closed stays a 409 (the payment ended); any other refusal is a 422 (this order cannot be paid as it is). */
    private static ProblemException refusal(PaymentGateway.Refused refused) {
        if (refused.paymentEnded()) {
            return ProblemException.conflict("payment-closed",
                    "The payment of this order has already ended; no new payment can be started");
        }
        return ProblemException.unprocessable(refused.slug(),
                "The payment provider refused a payment for this order; it cannot be paid as it is");
    }

    private Uni<CustomerOrder> existing(String orderId) {
        UUID id = parse(orderId);
        return queries.order(id).onItem().ifNull().failWith(() -> notFound(orderId));
    }

    private static UUID parse(String orderId) {
        try {
            return UUID.fromString(orderId);
        } catch (IllegalArgumentException e) {
            throw notFound(orderId);
        }
    }

    private static ProblemException notFound(String orderId) {
        return ProblemException.notFound("order-not-found", "There is no order " + orderId);
    }
}
