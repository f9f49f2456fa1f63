package dev.lunas.order.client;

import dev.lunas.common.event.Customer;
import java.time.Instant;
import java.util.UUID;

/** Body of payment-service {@code POST /internal/payments} (docs/integration.md). */
public record PaymentTokenRequest(UUID orderId, long amount, String currency, Instant expiresAt, Item item,
                                  Customer customer) {

    /** The single Snap item, priced at the amount the customer pays. */
    public record Item(String id, String name) {
    }
}
