package dev.lunas.order.service;

import dev.lunas.common.logging.Journal;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.OrderStatus;
import dev.lunas.order.repository.OrderRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Storing a Snap token on an order, inside the caller's transaction. The order is read after the guarded
 * update, so callers must not have loaded it earlier in the same session (the session would hand back
 * that stale copy).
 */
@ApplicationScoped
public class OrderTransitions {

    private final OrderRepository orders;
    private final AuditTrail audit;
    private final OrderEvents events;

    public OrderTransitions(OrderRepository orders, AuditTrail audit, OrderEvents events) {
        this.orders = orders;
        this.audit = audit;
        this.events = events;
    }

    /**
     * Moves a CREATED order to PENDING_PAYMENT with its token and publishes PaymentRequested; an order
     * already awaiting payment only gets the newer link; any other order is left alone. Answers the order
     * as it now is.
     */
    public Uni<CustomerOrder> recordPaymentLink(UUID orderId, String token, String paymentUrl, String actor,
                                                Journal journal) {
        Instant now = Instant.now();
        return orders.requestPayment(orderId, token, paymentUrl, now).chain(requested -> requested
                ? orders.findById(orderId)
                        .call(order -> audit.record(orderId, actor, "status", OrderStatus.CREATED,
                                OrderStatus.PENDING_PAYMENT, "payment_requested"))
                        .call(order -> events.paymentRequested(order, journal))
                        .invoke(order -> journal.info("PAYMENT_REQUESTED", orderId, "amount=%d expiresAt=%s",
                                order.amount(), order.expiresAt()))
                : orders.refreshPaymentLink(orderId, token, paymentUrl, now)
                        .call(refreshed -> refreshed
                                ? audit.record(orderId, actor, "payment_link", null, null, "payment_link_refreshed")
                                : Uni.createFrom().voidItem())
                        .chain(() -> orders.findById(orderId)));
    }
}
