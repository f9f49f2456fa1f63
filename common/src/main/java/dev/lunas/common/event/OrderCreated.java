package dev.lunas.common.event;

import java.time.Instant;
import java.util.UUID;

public record OrderCreated(UUID orderId, String packageId, long amount, String currency, Instant createdAt) {
}
