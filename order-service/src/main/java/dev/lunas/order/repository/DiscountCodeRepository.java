package dev.lunas.order.repository;

import dev.lunas.order.model.DiscountCode;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class DiscountCodeRepository implements PanacheRepositoryBase<DiscountCode, String> {

    /**
     * Counts one use if the code is still usable for this package at {@code now} and below its limit,
     * in one guarded statement; false otherwise.
     */
    public Uni<Boolean> redeemUse(String code, String packageId, Instant now) {
        return update("uses = uses + 1 where code = ?1 and active = true"
                        + " and (validFrom is null or validFrom <= ?2) and (validUntil is null or validUntil > ?2)"
                        + " and (packageId is null or packageId = ?3) and (maxUses is null or uses < maxUses)",
                code, now, packageId).map(rows -> rows == 1);
    }

    /** Counts a use whatever the limit: the order it belongs to was paid. */
    public Uni<Void> redeemUseBeyondLimit(String code) {
        return update("uses = uses + 1 where code = ?1", code).replaceWithVoid();
    }

    /** Gives uses back; never below zero. */
    public Uni<Void> returnUses(String code, int uses) {
        return update("uses = case when uses > ?1 then uses - ?1 else 0 end where code = ?2", uses, code)
                .replaceWithVoid();
    }

    /**
     * Whether the code has reached its use limit, read from the database rather than from an entity the
     * session may hold from before a guarded statement.
     */
    public Uni<Boolean> exhausted(String code) {
        return getSession().chain(session -> session.createSelectionQuery(
                                "select c.maxUses is not null and c.uses >= c.maxUses from DiscountCode c where c.code = ?1",
                                Boolean.class)
                        .setParameter(1, code)
                        .getSingleResult());
    }
}
