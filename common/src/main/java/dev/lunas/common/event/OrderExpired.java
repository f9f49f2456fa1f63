package dev.lunas.common.event;

import java.time.Instant;
import java.util.UUID;

public record OrderExpired(UUID orderId, String packageId, String packageName, long amount, String currency,
                           Instant expiredAt, Customer customer) {
}
