package dev.lunas.order.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One line of an order's history: who did what, from which value to which, why, under which request. */
@Entity
@Table(name = "audit_log")
public class AuditEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "order_id")
    private UUID orderId;
    private String actor;
    private String action;
    @Column(name = "old_value")
    private String oldValue;
    @Column(name = "new_value")
    private String newValue;
    private String reason;
    @Column(name = "correlation_id")
    private String correlationId;
    @Column(name = "created_at")
    private Instant createdAt;

    protected AuditEntry() {
    }

    public static AuditEntry of(UUID orderId, String actor, String action, String oldValue, String newValue,
                                String reason, String correlationId, Instant at) {
        AuditEntry entry = new AuditEntry();
        entry.orderId = orderId;
        entry.actor = actor;
        entry.action = action;
        entry.oldValue = oldValue;
        entry.newValue = newValue;
        entry.reason = reason;
        entry.correlationId = correlationId;
        entry.createdAt = at;
        return entry;
    }
}
