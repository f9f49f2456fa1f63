package dev.lunas.order.repository;

import static dev.lunas.common.persistence.NativeSql.execute;

import dev.lunas.order.model.Entitlement;
import dev.lunas.order.model.EntitlementStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class EntitlementRepository implements PanacheRepositoryBase<Entitlement, UUID> {

    private static final String GRANT = "insert into {h-schema}entitlement"
            + " (id, order_id, email, package_id, status, access_url, granted_at, updated_at)"
            + " values (?1, ?2, ?3, ?4, 'ACTIVE', ?5, ?6, ?6) on conflict (order_id) do nothing";

    /** Grants access for a paid order; false when the order already has an entitlement. */
    public Uni<Boolean> grant(UUID id, UUID orderId, String email, String packageId, String accessUrl, Instant now) {
        return execute(GRANT, id, orderId, email, packageId, accessUrl, now).map(rows -> rows == 1);
    }

    /** Moves an order's entitlement to {@code target} if its current status allows it. */
    public Uni<Boolean> move(UUID orderId, EntitlementStatus target, Instant now) {
        return update("status = ?1, updatedAt = ?2 where orderId = ?3 and status in ?4",
                target, now, orderId, target.sources()).map(rows -> rows == 1);
    }

    public Uni<List<Entitlement>> listByEmail(String email) {
        return list("email = ?1 order by grantedAt, id", email);
    }
}
