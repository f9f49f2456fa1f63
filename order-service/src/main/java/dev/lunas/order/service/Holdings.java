package dev.lunas.order.service;

import dev.lunas.common.problem.Problem;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.DiscountCode;
import dev.lunas.order.repository.DiscountCodeRepository;
import dev.lunas.order.repository.DiscountRedemptionRepository;
import dev.lunas.order.repository.PackageRepository;
import dev.lunas.order.repository.PackageRepository.QuotaUse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What an open or paid order holds: a place on its package ({@code package.reserved}) and, when discounted, a
 * use of its code ({@code discount_code.uses}) with its redemption row. This class alone takes them (checkout),
 * gives them back (an order ending unpaid) and takes them back (a late settlement), always inside the caller's
 * transaction, which also writes the order's change, its audit row and its outbox events.
 *
 * <p><b>Lock order.</b> Every transaction that changes these rows takes their locks in one order, so
 * checkouts, payment results and the expiry job wait for each other rather than deadlock:
 * <ol>
 *   <li>the orders concerned: a caller that changes existing orders locks them before it comes here (a
 *       checkout's order is inserted afterwards, when no other transaction can see it);</li>
 *   <li>discount codes before packages: {@link #inLockOrder} is the one place that sequences the two steps,
 *       and every method goes through it;</li>
 *   <li>several codes, or several packages, in key order ({@link #inKeyOrder}).</li>
 * </ol>
 * A redemption row goes with its code's step, always after the code's row: checkout and reinstatement write
 * it after counting the use, release marks it released after giving the use back. (Marking it first would let
 * the release of an order that used a once-per-email code and a new checkout with that code by the same
 * address deadlock on the redemption's unique index.)
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

    /**
     * Takes what a new order holds: a use of the quoted code, recorded as the order's redemption, and a place
     * on the package, each by one guarded statement, so neither limit can be overrun by concurrent checkouts.
     * Answers null when both are held, or the 409 refusal to store under the key (code used up, already used
     * by this email, sold out), having given back in this transaction whatever it took. Fails with a 422 when
     * the code has stopped being valid since it was priced.
     */
    public Uni<Problem> take(PriceQuote quote, UUID orderId, String email, Instant now) {
        return inLockOrder(() -> redeem(quote, orderId, email, now),
                refusal -> refusal != null ? Uni.createFrom().item(refusal) : reserve(quote, orderId));
    }

    /** Gives back what orders that have just ended unpaid held; no count ever goes below zero. */
    public Uni<Void> release(List<CustomerOrder> orders, Instant now) {
        SortedMap<String, Integer> usesByCode = new TreeMap<>();
        SortedMap<String, Integer> placesByPackage = new TreeMap<>();
        List<UUID> discounted = new ArrayList<>();
        for (CustomerOrder order : orders) {
            placesByPackage.merge(order.packageId(), 1, Integer::sum);
            if (order.discountCode() != null) {
                usesByCode.merge(order.discountCode(), 1, Integer::sum);
                discounted.add(order.id());
            }
        }
        Supplier<Uni<Void>> releaseRedemptions = () -> discounted.isEmpty()
                ? Uni.createFrom().voidItem()
                : redemptions.release(discounted, now).replaceWithVoid();
        return inLockOrder(() -> inKeyOrder(usesByCode, codes::returnUses).chain(releaseRedemptions::get),
                ignored -> inKeyOrder(placesByPackage, packages::release));
    }

    /**
     * Takes back a late-settled order's discount use and place whatever the limits (a customer whose money
     * arrived is never refused access); answers the package's places afterwards, so an overrun can be reported.
     */
    public Uni<QuotaUse> reinstate(CustomerOrder order) {
        return inLockOrder(
                () -> order.discountCode() == null
                        ? Uni.createFrom().voidItem()
                        : codes.redeemUseBeyondLimit(order.discountCode()).chain(() -> redemptions.reinstate(order.id())),
                ignored -> packages.reserveBeyondQuota(order.packageId()));
    }

    /** Counts the code's use and records the redemption; a refusal when it is used up or already used by this email. */
    private Uni<Problem> redeem(PriceQuote quote, UUID orderId, String email, Instant now) {
        DiscountCode code = quote.code();
        if (code == null) {
            return Uni.createFrom().nullItem();
        }
        return codes.redeemUse(code.code(), quote.pkg().id(), now).chain(counted -> {
            if (!counted) {
                return codes.exhausted(code.code()).map(exhausted -> {
                    if (!exhausted) {
                        throw Pricing.notActive(code);
                    }
                    return refusal("discount-code-exhausted",
                            "The discount code '" + code.code() + "' has been used up");
                });
            }
            return redemptions.redeem(orderId, code.code(), email, code.oncePerEmail()).chain(recorded -> recorded
                    ? Uni.createFrom().<Problem>nullItem()
                    : codes.returnUses(code.code(), 1).replaceWith(refusal("discount-code-already-used",
                            "The discount code '" + code.code()
                                    + "' can be used once per email address, and this one has used it")));
        });
    }

    /** Takes a place; when sold out, gives the discount use just taken back. */
    private Uni<Problem> reserve(PriceQuote quote, UUID orderId) {
        return packages.reserve(quote.pkg().id()).chain(reserved -> {
            if (reserved) {
                return Uni.createFrom().nullItem();
            }
            Problem soldOut = refusal("sold-out", "The package '" + quote.pkg().name() + "' is sold out");
            if (quote.code() == null) {
                return Uni.createFrom().item(soldOut);
            }
            return redemptions.remove(orderId)
                    .chain(() -> codes.returnUses(quote.code().code(), 1))
                    .replaceWith(soldOut);
        });
    }

    /** The lock order: the discount-code step, then the package step with what the first answered. */
    private static <T, R> Uni<R> inLockOrder(Supplier<Uni<T>> codeStep,
                                             Function<? super T, Uni<? extends R>> packageStep) {
        return codeStep.get().chain(packageStep);
    }

    /** One statement per key, in key order. */
    private static Uni<Void> inKeyOrder(SortedMap<String, Integer> counts,
                                        BiFunction<String, Integer, Uni<Void>> step) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            chain = chain.chain(() -> step.apply(entry.getKey(), entry.getValue()));
        }
        return chain;
    }

    private static Problem refusal(String slug, String detail) {
        return Problem.of(409, slug, "Conflict", detail);
    }
}
