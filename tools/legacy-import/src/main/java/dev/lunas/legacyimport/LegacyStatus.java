package dev.lunas.legacyimport;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an old status becomes in Lunas. A paid order becomes PAID with an active entitlement; an unpaid one is
 * imported closed, EXPIRED when nobody paid in time or FAILED when the payment failed or was cancelled, with the
 * closed reason the status page shows. Anything else (a refund, a challenge, a typo) is refused: a person decides.
 */
enum LegacyStatus {
    PAID("PAID", null),
    EXPIRED("EXPIRED", "PAYMENT_WINDOW_LAPSED"),
    FAILED("FAILED", "PAYMENT_FAILED");

    /** The old shop's statuses (matched ignoring case and surrounding spaces), Midtrans's words among them. */
    static final Map<String, LegacyStatus> KNOWN = Map.ofEntries(
            Map.entry("paid", PAID), Map.entry("settlement", PAID), Map.entry("success", PAID),
            Map.entry("pending", EXPIRED), Map.entry("unpaid", EXPIRED), Map.entry("expire", EXPIRED),
            Map.entry("expired", EXPIRED),
            Map.entry("failed", FAILED), Map.entry("failure", FAILED), Map.entry("deny", FAILED),
            Map.entry("cancel", FAILED), Map.entry("cancelled", FAILED), Map.entry("canceled", FAILED));

    /** customer_order.status */
    final String orderStatus;
    /** customer_order.closed_reason; null for PAID */
    final String closedReason;

    LegacyStatus(String orderStatus, String closedReason) {
        this.orderStatus = orderStatus;
        this.closedReason = closedReason;
    }

    static Optional<LegacyStatus> of(String legacy) {
        return legacy == null ? Optional.empty() : Optional.ofNullable(KNOWN.get(legacy.trim().toLowerCase(Locale.ROOT)));
    }
}
