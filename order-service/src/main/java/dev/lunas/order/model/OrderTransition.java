package dev.lunas.order.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every way an order's status may change, with the statuses it may change from. Repositories apply
 * each as one guarded {@code UPDATE … WHERE status IN (sources)}; no transition leaves PAID and none
 * leads back to CREATED.
 */
public enum OrderTransition {

    /** payment-service issued a Snap token. */
    PAYMENT_REQUESTED(OrderStatus.PENDING_PAYMENT, EnumSet.of(OrderStatus.CREATED)),
    /** A verified settlement for an open order. */
    SETTLED(OrderStatus.PAID, EnumSet.of(OrderStatus.CREATED, OrderStatus.PENDING_PAYMENT)),
    /** A settlement Midtrans confirmed after the order had been closed: the money arrived, so it counts. */
    LATE_SETTLEMENT(OrderStatus.PAID, EnumSet.of(OrderStatus.FAILED, OrderStatus.EXPIRED)),
    /** Denied, cancelled or failed at Midtrans. */
    FAILED(OrderStatus.FAILED, EnumSet.of(OrderStatus.CREATED, OrderStatus.PENDING_PAYMENT)),
    /** Not paid in time (the expiry job, or Midtrans's own expiry). */
    EXPIRED(OrderStatus.EXPIRED, EnumSet.of(OrderStatus.CREATED, OrderStatus.PENDING_PAYMENT));

    private final OrderStatus target;
    private final Set<OrderStatus> sources;

    OrderTransition(OrderStatus target, Set<OrderStatus> sources) {
        this.target = target;
        this.sources = sources;
    }

    public OrderStatus target() {
        return target;
    }

    public Set<OrderStatus> sources() {
        return EnumSet.copyOf(sources);
    }

    public boolean allowedFrom(OrderStatus status) {
        return sources.contains(status);
    }
}
