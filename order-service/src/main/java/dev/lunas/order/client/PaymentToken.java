package dev.lunas.order.client;

import java.time.Instant;
import java.util.UUID;

/** payment-service's answer: the Snap token and the page the customer pays on. */
public record PaymentToken(UUID orderId, String status, String token, String redirectUrl, Instant expiresAt) {
}
