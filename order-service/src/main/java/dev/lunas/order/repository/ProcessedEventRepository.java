package dev.lunas.order.repository;

import static dev.lunas.common.persistence.NativeSql.execute;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Payment events already applied, keyed by the producer's event id. */
@ApplicationScoped
public class ProcessedEventRepository {

    // A concurrent copy of the same event blocks on the uncommitted row and then finds it taken.
    private static final String CLAIM = "insert into {h-schema}processed_event (event_id, event_type, order_id, outcome)"
            + " values (?1, ?2, ?3, 'APPLIED') on conflict (event_id) do nothing";

    private static final String RECORD_OUTCOME = "update {h-schema}processed_event set outcome = ?2 where event_id = ?1";

    /** True when this is the first time the event is seen. */
    public Uni<Boolean> claim(UUID eventId, String eventType, UUID orderId) {
        return execute(CLAIM, eventId, eventType, orderId).map(rows -> rows == 1);
    }

    public Uni<Void> recordOutcome(UUID eventId, String outcome) {
        return execute(RECORD_OUTCOME, eventId, outcome).replaceWithVoid();
    }
}
