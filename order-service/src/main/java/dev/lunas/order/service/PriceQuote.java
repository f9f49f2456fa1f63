package dev.lunas.order.service;

import dev.lunas.order.model.CatalogPackage;
import dev.lunas.order.model.DiscountCode;

/**
 * What a checkout costs, as {@link Pricing} computed it: integer rupiah, {@code 0 <= discount < price}, so the
 * customer pays {@code price - discount}, never less than Rp 1.
 *
 * @param pkg      the package, on sale when priced
 * @param code     the discount code, usable for this package when priced; null without one
 * @param discount the rupiah taken off the package's price; 0 without a code
 */
public record PriceQuote(CatalogPackage pkg, DiscountCode code, long discount) {

    /** The code as stored on the order, or null. */
    public String discountCode() {
        return code == null ? null : code.code();
    }
}
