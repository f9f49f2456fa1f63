package dev.lunas.order.service;

import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.repository.DiscountCodeRepository;
import dev.lunas.order.repository.DiscountRedemptionRepository;
import dev.lunas.order.repository.PackageRepository.QuotaUse;
import dev.lunas.order.repository.PackageRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * What an open order holds: a quota place on its package and, when discounted, a use of its code.
 * Every transaction takes these row locks in the same order as checkout does (discount codes before
 * packages, each sorted by key), so releasing and reserving never deadlock against each other.
 */
@ApplicationScoped
public class Holdings {

    private final PackageRepository packages;
    private final DiscountCodeRepository codes;
    private final DiscountRedemptionRepository redemptions;

    public Holdings(PackageRepository packages, DiscountCodeRepository codes, DiscountRedemptionRepository redemptions) {
        this.packages = packages;
        this.codes = codes;
        this.redemptions = redemptions;
    }

    /** Gives back what orders that have just ended unpaid held. */
    public Uni<Void> release(List<CustomerOrder> orders, Instant now) {
        Map<String, Integer> usesByCode = new TreeMap<>();
        Map<String, Integer> placesByPackage = new TreeMap<>();
        List<UUID> discounted = new ArrayList<>();
        for (CustomerOrder order : orders) {
            placesByPackage.merge(order.packageId(), 1, Integer::sum);
            if (order.discountCode() != null) {
                usesByCode.merge(order.discountCode(), 1, Integer::sum);
                discounted.add(order.id());
            }
        }
        Uni<Void> releaseRedemptions = discounted.isEmpty()
                ? Uni.createFrom().voidItem()
                : redemptions.release(discounted, now).replaceWithVoid();
        return releaseRedemptions
                .chain(() -> inOrder(usesByCode, entry -> codes.returnUses(entry.getKey(), entry.getValue())))
                .chain(() -> inOrder(placesByPackage, entry -> packages.release(entry.getKey(), entry.getValue())));
    }

    /** Takes back a late-settled order's place and discount use, whatever the limits; tells whether the quota is overrun. */
    public Uni<QuotaUse> reinstate(CustomerOrder order) {
        Uni<Void> discount = order.discountCode() == null
                ? Uni.createFrom().voidItem()
                : codes.redeemUseBeyondLimit(order.discountCode()).chain(() -> redemptions.reinstate(order.id()));
        return discount.chain(() -> packages.reserveBeyondQuota(order.packageId()));
    }

    private static Uni<Void> inOrder(Map<String, Integer> counts, Function<Map.Entry<String, Integer>, Uni<Void>> step) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            chain = chain.chain(() -> step.apply(entry));
        }
        return chain;
    }
}
