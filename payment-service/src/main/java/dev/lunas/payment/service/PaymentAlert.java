package dev.lunas.payment.service;

import java.util.Locale;

/**
 * Payment conditions a person must act on. Each is written as an {@code OpsAlert} outbox event in the
 * transaction that records the fact (notification-service mails it to ALERT_EMAIL), once per fact: the
 * alert is raised only by the call that inserted the fact's inbox row, never by a redelivery. Counted
 * as {@code payment_alerts_total{code}} once committed.
 */
public enum PaymentAlert {
    /** A card capture held as challenge by fraud detection: Midtrans cancels it unless someone approves it. */
    CAPTURE_CHALLENGED,
    /** A validly signed amount or currency that differs from the payment: tampering or a fee setting. */
    AMOUNT_MISMATCH,
    /** Money reported for a closed payment that Get Status does not confirm. */
    LATE_SETTLEMENT_NOT_CONFIRMED,
    /** A second Midtrans transaction settled an order already paid: refund one of them. */
    DOUBLE_SETTLEMENT;

    /** The metric tag value. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
