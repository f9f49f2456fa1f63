package dev.lunas.order.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A checkout Idempotency-Key; written only through guarded statements in the repository. */
@Entity
@Table(name = "idempotency_key")
public class IdempotencyRecord {

    @Id
    @Column(name = "idempotency_key")
    private String key;
    private String fingerprint;
    @Enumerated(EnumType.STRING)
    @Column(name = "recovery_point")
    private RecoveryPoint recoveryPoint;
    @Column(name = "order_id")
    private UUID orderId;
    @Column(name = "lease_owner")
    private UUID leaseOwner;
    @Column(name = "locked_until")
    private Instant lockedUntil;
    @Column(name = "response_status")
    private Integer responseStatus;
    @Column(name = "response_body")
    private String responseBody;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;

    protected IdempotencyRecord() {
    }

    public String fingerprint() {
        return fingerprint;
    }

    public RecoveryPoint recoveryPoint() {
        return recoveryPoint;
    }

    public UUID orderId() {
        return orderId;
    }

    public Integer responseStatus() {
        return responseStatus;
    }

    public String responseBody() {
        return responseBody;
    }
}
