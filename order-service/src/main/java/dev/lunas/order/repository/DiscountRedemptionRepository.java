package dev.lunas.order.repository;

import static dev.lunas.common.persistence.NativeSql.execute;

import dev.lunas.order.model.DiscountRedemption;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

@ApplicationScoped
public class DiscountRedemptionRepository implements PanacheRepositoryBase<DiscountRedemption, UUID> {

    private static final String INSERT = "insert into {h-schema}discount_redemption (order_id, code, email, once_per_email)"
            + " values (?1, ?2, ?3, ?4) on conflict do nothing";

    // Reinstating must not break "once per email" when the address has used the code again meanwhile.
    private static final String REINSTATE = "update {h-schema}discount_redemption r set released_at = null"
            + " where r.order_id = ?1 and r.released_at is not null and not (r.once_per_email and exists ("
            + "select 1 from {h-schema}discount_redemption other where other.code = r.code and other.email = r.email"
            + " and other.once_per_email and other.released_at is null))";

    /**
     * Records the use; false when a code limited to one use per email already has a live redemption for
     * this address (the partial unique index decides, also between concurrent checkouts).
     */
    public Uni<Boolean> redeem(UUID orderId, String code, String email, boolean oncePerEmail) {
        return execute(INSERT, orderId, code, email, oncePerEmail).map(rows -> rows == 1);
    }

    public Uni<Void> remove(UUID orderId) {
        return delete("orderId", orderId).replaceWithVoid();
    }

    public Uni<Integer> release(Collection<UUID> orderIds, Instant at) {
        return update("releasedAt = ?1 where orderId in ?2 and releasedAt is null", at, orderIds);
    }

    public Uni<Void> reinstate(UUID orderId) {
        return execute(REINSTATE, orderId).replaceWithVoid();
    }
}
