package dev.lunas.notification.model;

import java.util.UUID;

/** A PENDING row of a producer's outbox, claimed by the relay. */
public record SourceEvent(long outboxId, UUID eventId, String eventType, String aggregateId, String payload) {
}
