package dev.lunas.order.service;

import dev.lunas.order.model.Entitlement;
import dev.lunas.order.model.EntitlementStatus;
import java.time.Instant;
import java.util.UUID;

/** Course access as the course platform sees it. */
public record EntitlementView(UUID orderId, String packageId, EntitlementStatus status, String accessUrl,
                              Instant grantedAt, Instant updatedAt) {

    public static EntitlementView of(Entitlement entitlement) {
        return new EntitlementView(entitlement.orderId(), entitlement.packageId(), entitlement.status(),
                entitlement.accessUrl(), entitlement.grantedAt(), entitlement.updatedAt());
    }
}
