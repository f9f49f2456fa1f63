package dev.lunas.order.service;

import dev.lunas.common.logging.Journal;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.model.CatalogPackage;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.OrderStatus;
import dev.lunas.order.repository.OrderRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The changes checkout and "pay again" make to an order, each with its audit row and outbox event, inside the
 * caller's transaction: creating it, and storing its Snap token. The order is read after the guarded update
 * that stores a token, so callers must not have loaded it earlier in the same session (the session would hand
 * back that stale copy).
 */
@ApplicationScoped
public class OrderTransitions {

    private final OrderRepository orders;
    private final AuditTrail audit;
    private final OrderEvents events;
    private final OrderConfig config;

    public OrderTransitions(OrderRepository orders, AuditTrail audit, OrderEvents events, OrderConfig config) {
        this.orders = orders;
        this.audit = audit;
        this.events = events;
        this.config = config;
    }

    /**
     * Inserts a CREATED order at the quoted price, with its audit row and OrderCreated. The caller already
     * holds its place and discount use ({@link Holdings#take}).
     */
    public Uni<CustomerOrder> create(UUID orderId, PriceQuote quote, CheckoutCommand command, Instant now,
                                     Journal journal) {
        CatalogPackage pkg = quote.pkg();
        Instant expiresAt = now.plus(paymentWindowOf(pkg));
        CustomerOrder order = CustomerOrder.create(orderId, pkg, quote.discountCode(), quote.discount(),
                command.name(), command.email(), command.phone(), now, expiresAt, pkg.quota() != null ? expiresAt : null);
        return orders.persistAndFlush(order)
                .chain(() -> audit.record(orderId, Actors.STOREFRONT, "status", null, OrderStatus.CREATED,
                        quote.code() == null ? "checkout" : "checkout with discount code " + quote.discountCode()))
                .chain(() -> events.created(order, journal))
                .invoke(() -> journal.info("ORDER_CREATED", orderId, "package=%s amount=%d discount=%d %s",
                        order.packageId(), order.amount(), order.discountAmount(), OrderEvents.maskedContact(order)))
                .replaceWith(order);
    }

    /**
     * Moves a CREATED order to PENDING_PAYMENT with its token and publishes PaymentRequested; an order
     * already awaiting payment only gets the newer link; any other order is left alone. Answers the order
     * as it now is.
     */
    public Uni<CustomerOrder> recordPaymentLink(UUID orderId, String token, String paymentUrl, String actor,
                                                Journal journal) {
        Instant now = Instant.now();
        return orders.requestPayment(orderId, token, paymentUrl, now).chain(requested -> requested != null
                ? Uni.createFrom().item(requested)
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

    /**
     * How long the order may be paid: a limited package's place is held only for the (shorter) limited
     * hold, so nobody can block a scarce place for the whole payment window; the Snap transaction gets the
     * same expiry.
     */
    private Duration paymentWindowOf(CatalogPackage pkg) {
        Duration window = config.paymentWindow();
        Duration hold = config.checkout().limitedHold();
        return pkg.quota() != null && hold.compareTo(window) < 0 ? hold : window;
    }
}
