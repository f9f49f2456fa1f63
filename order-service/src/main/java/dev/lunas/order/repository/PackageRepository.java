package dev.lunas.order.repository;

import dev.lunas.order.model.CatalogPackage;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class PackageRepository implements PanacheRepositoryBase<CatalogPackage, String> {

    /** Places a package holds at this moment, read past the session cache. */
    public record QuotaUse(Integer quota, int reserved) {

        public boolean overrun() {
            return quota != null && reserved > quota;
        }
    }

    public Uni<List<CatalogPackage>> listActive() {
        return list("active = true order by createdAt, id");
    }

    /**
     * Takes one place in a single guarded statement, so concurrent buyers serialise on the row and the
     * quota can never be oversold; false when sold out (or no longer on sale).
     */
    public Uni<Boolean> reserve(String packageId) {
        return update("reserved = reserved + 1 where id = ?1 and active = true and (quota is null or reserved < quota)",
                packageId).map(rows -> rows == 1);
    }

    /** Takes one place whatever the quota: a customer whose money arrived is never refused access. */
    public Uni<QuotaUse> reserveBeyondQuota(String packageId) {
        return update("reserved = reserved + 1 where id = ?1", packageId)
                .chain(() -> getSession().chain(session -> session.createSelectionQuery(
                                "select p.quota, p.reserved from CatalogPackage p where p.id = ?1", Object[].class)
                        .setParameter(1, packageId)
                        .getSingleResult()))
                .map(row -> new QuotaUse((Integer) row[0], ((Number) row[1]).intValue()));
    }

    /** Gives places back; never below zero, so a repeated release cannot corrupt the count. */
    public Uni<Void> release(String packageId, int places) {
        return update("reserved = case when reserved > ?1 then reserved - ?1 else 0 end where id = ?2", places, packageId)
                .replaceWithVoid();
    }
}
