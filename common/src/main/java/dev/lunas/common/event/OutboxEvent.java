package dev.lunas.common.event;

import java.util.UUID;

/** An event on its way into the producer's {@code outbox} table, inside the transaction that caused it. */
public record OutboxEvent(UUID eventId, String eventType, String aggregateType, String aggregateId, Object payload) {

    public static OutboxEvent of(String eventType, String aggregateType, Object aggregateId, Object payload) {
        return new OutboxEvent(Uuids.v7(), eventType, aggregateType, aggregateId.toString(), payload);
    }
}
