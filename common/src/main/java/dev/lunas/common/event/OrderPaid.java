package dev.lunas.common.event;

import java.time.Instant;
import java.util.UUID;

public record OrderPaid(UUID orderId, String packageId, String packageName, long amount, String currency,
                        Instant paidAt, String accessUrl, Customer customer) {
}
