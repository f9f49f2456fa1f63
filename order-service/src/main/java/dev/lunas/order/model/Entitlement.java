package dev.lunas.order.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Access to a course, granted when an order is paid; one per order. */
@Entity
@Table(name = "entitlement")
public class Entitlement {

    @Id
    private UUID id;
    @Column(name = "order_id")
    private UUID orderId;
    private String email;
    @Column(name = "package_id")
    private String packageId;
    @Enumerated(EnumType.STRING)
    private EntitlementStatus status;
    @Column(name = "access_url")
    private String accessUrl;
    @Column(name = "granted_at")
    private Instant grantedAt;
    @Column(name = "updated_at")
    private Instant updatedAt;

    protected Entitlement() {
    }

    public UUID orderId() {
        return orderId;
    }

    public String email() {
        return email;
    }

    public String packageId() {
        return packageId;
    }

    public EntitlementStatus status() {
        return status;
    }

    public String accessUrl() {
        return accessUrl;
    }

    public Instant grantedAt() {
        return grantedAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
