package dev.lunas.payment.service;

import java.util.Set;

/**
 * Which {@code status_code} Midtrans sends with which {@code transaction_status}. The signature covers
 * {@code order_id + status_code + gross_amount} only, so the status is trusted only together with a code
 * Midtrans pairs with it; anything else is a replayed or altered notification (400 inconsistent-status).
 * <p>
 * From Midtrans's "Code 2xx" table (docs.midtrans.com/reference/status-codes): 200 for a card's
 * authorize, capture, settlement and cancel (and an approved challenge) and for other methods' settlement
 * or cancel; 201 for pending and, "on some rare occasion", a card capture held as challenge; 202 for a
 * card denied by the bank or Midtrans's fraud detection. Midtrans's expire notification sample carries
 * 202, and the 4xx table's 407 "Expired transaction" is what the Expire API and its notification carry
 * with {@code expire}. Refund and chargeback notifications are successes (200). Not settled by the pages
 * read: {@code failure} (taken as 202, the denied family) and {@code cancel} with 202 (accepted besides the
 * documented 200: Midtrans's failure family); both only ever become claims that Get Status must confirm.
 * <p>
 * Invariant: a status not listed here (one Midtrans may add) changes nothing, so any 3-digit code is
 * accepted with it.
 */
final class MidtransStatusCodes {

    private static final Set<String> OK = Set.of("200");
    private static final Set<String> PENDING = Set.of("201");
    private static final Set<String> DENIED = Set.of("202");

    private MidtransStatusCodes() {
    }

    /** The codes Midtrans sends with this status (both lower-case); null when the status is not one we know. */
    static Set<String> allowed(String transactionStatus, String fraudStatus) {
        return switch (transactionStatus) {
            case "capture" -> {
                if ("challenge".equals(fraudStatus)) {
                    yield PENDING;
                }
                yield "deny".equals(fraudStatus) ? DENIED : OK;
            }
            case "settlement", "authorize", "refund", "partial_refund", "chargeback", "partial_chargeback" -> OK;
            case "pending" -> PENDING;
            case "deny", "failure" -> DENIED;
            case "cancel" -> Set.of("200", "202");
            case "expire" -> Set.of("202", "407");
            default -> null;
        };
    }

    static boolean consistent(String transactionStatus, String fraudStatus, String statusCode) {
        Set<String> codes = allowed(transactionStatus, fraudStatus);
        return codes == null || codes.contains(statusCode);
    }
}
