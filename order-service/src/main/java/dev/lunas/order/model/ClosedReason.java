package dev.lunas.order.model;

/** Why an order ended unpaid (FAILED or EXPIRED); shown on the status page. */
public enum ClosedReason {
    /** A limited package's place was held for the short hold, and nobody paid within it. */
    HOLD_LAPSED,
    /** The payment window ran out unpaid. */
    PAYMENT_WINDOW_LAPSED,
    /** Midtrans denied, cancelled or failed the payment. */
    PAYMENT_FAILED,
    /** Midtrans expired the payment. */
    PAYMENT_EXPIRED
}
