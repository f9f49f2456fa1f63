package dev.lunas.notification.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery this worker has claimed: everything needed to send it, plus the fencing token
 * ({@code attempt}, with the worker id) that every later update of the row must present.
 *
 * @param payload    the event payload as JSON text, exactly as the producer wrote it
 * @param retryFrom  attempts already made before the current retry budget began
 * @param maxAttempts the size of the retry budget; null for a channel without an attempt limit (INTERNAL)
 */
public record Delivery(long id, UUID eventId, String source, String eventType, String aggregateType,
                       String aggregateId, Channel channel, String template, String payload,
                       Instant eventCreatedAt, int attempt, int retryFrom, Integer maxAttempts) {

    /** The attempt number within the current retry budget, from 1: what the backoff grows with. */
    public int attemptInBudget() {
        return attempt - retryFrom;
    }
}
