package dev.lunas.common.event;

import java.time.Instant;
import java.util.UUID;

/** Payload of PaymentRequested and PaymentReminderDue: how and until when the customer can pay. */
public record PaymentInstructions(UUID orderId, String packageId, String packageName, long amount, String currency,
                                  Instant expiresAt, String paymentUrl, Customer customer) {
}
