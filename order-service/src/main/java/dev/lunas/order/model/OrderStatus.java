package dev.lunas.order.model;

/** The life of an order (docs/architecture.md, "The order state machine"); PAID is final. */
public enum OrderStatus {
    CREATED,
    PENDING_PAYMENT,
    PAID,
    FAILED,
    EXPIRED;

    /** Still waiting for money: it holds a quota place and may be paid, expire or fail. */
    public boolean isOpen() {
        return this == CREATED || this == PENDING_PAYMENT;
    }
}
