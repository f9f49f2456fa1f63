package dev.lunas.notification.model;

/**
 * {@code PENDING → SENDING → SENT}, {@code SENDING → RETRY → SENDING …}, {@code SENDING → DEAD} (permanent
 * error or attempts exhausted), {@code DEAD → RETRY} by requeue, and {@code SKIPPED} for a switched-off channel.
 */
public enum DeliveryStatus {
    PENDING, SENDING, SENT, RETRY, DEAD, SKIPPED
}
