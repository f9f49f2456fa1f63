package dev.lunas.payment.model;

/** Who told us a payment fact: Midtrans's notification, or our own Get Status question. */
public enum EventSource {
    WEBHOOK,
    RECONCILIATION
}
