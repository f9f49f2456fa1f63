package dev.lunas.common.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.event.OutboxEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Appends events to the service's own {@code outbox} table (db/outbox/V0_1__outbox.sql) through the
 * session of the caller's transaction, so an event commits exactly when the change that caused it
 * does. Must be called inside {@code @WithTransaction}; there is deliberately no way to write an
 * event on its own.
 */
@ApplicationScoped
public class OutboxWriter {

    private static final String INSERT = "insert into {h-schema}outbox "
            + "(event_id, event_type, aggregate_type, aggregate_id, payload) "
            + "values (?1, ?2, ?3, ?4, cast(cast(?5 as text) as jsonb))";

    // The inner cast matters: a parameter typed jsonb is encoded by the reactive driver as a JSON
    // *string* holding the text; typed text, it is parsed by PostgreSQL into the object it describes.

    private final ObjectMapper json;

    public OutboxWriter(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Void> append(OutboxEvent event) {
        String payload = serialize(event);
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                        .setParameter(1, event.eventId())
                        .setParameter(2, event.eventType())
                        .setParameter(3, event.aggregateType())
                        .setParameter(4, event.aggregateId())
                        .setParameter(5, payload)
                        .executeUpdate())
                .replaceWithVoid();
    }

    public Uni<Void> append(List<OutboxEvent> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (OutboxEvent event : events) {
            chain = chain.chain(() -> append(event));
        }
        return chain;
    }

    private String serialize(OutboxEvent event) {
        try {
            return json.writeValueAsString(event.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event payload of " + event.eventType() + " cannot be serialised", e);
        }
    }
}
