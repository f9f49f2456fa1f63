package dev.lunas.payment.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * The answer to order-service: the Snap token while the attempt is pending. {@code clientKey} is the
 * public Midtrans key the storefront's Snap.js popup needs, when one is configured.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentView(UUID orderId, String status, String token, String redirectUrl, Instant expiresAt,
                          String clientKey) {
}
