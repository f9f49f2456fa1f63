package dev.lunas.order.client;

import java.util.List;
import java.util.UUID;

/**
 * payment-service's {@code POST /internal/payments/statuses}: the payment status of each asked order
 * that has an attempt ({@code PENDING}, {@code SETTLED}, {@code FAILED} or {@code EXPIRED}); an order
 * without an attempt is not listed.
 */
public record PaymentStatuses(List<Entry> payments) {

    public static final String SETTLED = "SETTLED";

    /** The request body: 1 to 100 order ids. */
    public record Query(List<UUID> orderIds) {
    }

    public record Entry(UUID orderId, String status) {
    }
}
