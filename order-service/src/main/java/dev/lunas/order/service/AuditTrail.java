package dev.lunas.order.service;

import dev.lunas.common.http.Correlation;
import dev.lunas.order.model.AuditEntry;
import dev.lunas.order.repository.AuditRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Writes audit rows inside the caller's transaction, stamped with the current correlation id. */
@ApplicationScoped
public class AuditTrail {

    private final AuditRepository audits;

    public AuditTrail(AuditRepository audits) {
        this.audits = audits;
    }

    public Uni<Void> record(UUID orderId, String actor, String action, Object oldValue, Object newValue, String reason) {
        AuditEntry entry = AuditEntry.of(orderId, actor, action, text(oldValue), text(newValue), reason,
                Correlation.currentId(), Instant.now());
        return audits.persist(entry).replaceWithVoid();
    }

    private static String text(Object value) {
        return value == null ? null : Objects.toString(value);
    }
}
