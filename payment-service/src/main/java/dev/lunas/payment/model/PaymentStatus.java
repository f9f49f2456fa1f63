package dev.lunas.payment.model;

/** Where a payment attempt stands. Only PENDING moves; SETTLED is never left. */
public enum PaymentStatus {
    PENDING,
    SETTLED,
    FAILED,
    EXPIRED
}
