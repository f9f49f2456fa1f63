package dev.lunas.order.service;

import dev.lunas.common.problem.ProblemException;
import dev.lunas.order.model.CatalogPackage;
import dev.lunas.order.model.DiscountCode;
import dev.lunas.order.repository.DiscountCodeRepository;
import dev.lunas.order.repository.PackageRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Prices a checkout on the server from the package and the discount code, whatever the storefront showed:
 * the package's price minus the code's discount (percent rounded down, or fixed), never below Rp 1. Reads
 * both in the caller's transaction without locking them; whether a place and a use can still be had is
 * decided afterwards by the guarded statements of {@link Holdings}.
 */
@ApplicationScoped
public class Pricing {

    private final PackageRepository packages;
    private final DiscountCodeRepository codes;

    public Pricing(PackageRepository packages, DiscountCodeRepository codes) {
        this.packages = packages;
        this.codes = codes;
    }

    /**
     * The price of {@code command} at {@code now}. Fails with a 422 for a package that is not on sale, and
     * for a code that does not exist, is not valid at {@code now} or not for this package.
     */
    public Uni<PriceQuote> quote(CheckoutCommand command, Instant now) {
        return packages.findById(command.packageId()).chain(pkg -> {
            if (pkg == null || !pkg.active()) {
                return Uni.createFrom().failure(ProblemException.unprocessable("unknown-package",
                        "There is no package '" + command.packageId() + "' on sale"));
            }
            return usableCode(command.discountCode(), pkg, now)
                    .map(code -> new PriceQuote(pkg, code, discount(pkg, code)));
        });
    }

    /** 422 {@code discount-code-not-active}: the code is switched off, or outside its validity at this time. */
    static ProblemException notActive(DiscountCode code) {
        return ProblemException.unprocessable("discount-code-not-active",
                "The discount code '" + code.code() + "' is not valid at this time");
    }

    private Uni<DiscountCode> usableCode(String discountCode, CatalogPackage pkg, Instant now) {
        if (discountCode == null) {
            return Uni.createFrom().nullItem();
        }
        return codes.findById(discountCode).map(code -> {
            if (code == null) {
                throw ProblemException.unprocessable("unknown-discount-code",
                        "The discount code '" + discountCode + "' does not exist");
            }
            if (!code.usableAt(now)) {
                throw notActive(code);
            }
            if (!code.appliesTo(pkg.id())) {
                throw ProblemException.unprocessable("discount-code-not-applicable",
                        "The discount code '" + code.code() + "' is not valid for this package");
            }
            return code;
        });
    }

    // Capped at price - 1, so every order costs at least Rp 1.
    private static long discount(CatalogPackage pkg, DiscountCode code) {
        return code == null ? 0 : Math.min(code.discountOn(pkg.price()), pkg.price() - 1);
    }
}
