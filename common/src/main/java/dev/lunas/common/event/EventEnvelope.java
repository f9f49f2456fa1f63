package dev.lunas.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * An outbox event as notification-service hands it to another service's internal endpoint. The
 * receiver is idempotent on {@code eventId}.
 */
public record EventEnvelope(UUID eventId, String eventType, String aggregateType, String aggregateId,
                            Instant occurredAt, JsonNode payload) {
}
