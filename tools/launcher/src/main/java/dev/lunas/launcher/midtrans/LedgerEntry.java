package dev.lunas.launcher.midtrans;

import java.time.Instant;
import java.util.List;

/**
 * What the simulator knows about one order_id: how often Snap was asked for it, what became of the
 * transaction, and every notification sent with every attempt. Times are ISO-8601 instants.
 *
 * @param status {@code awaiting_choice} and {@code page_expired} before a transaction exists at Midtrans,
 *               then the Midtrans {@code transaction_status}
 */
public record LedgerEntry(String orderId, String status, String transactionId, long grossAmount, String paymentType,
                          int snapRequests, int tokensIssued, String createdAt, String transactionTime,
                          String settlementTime, List<Delivery.View> notifications) {

    static LedgerEntry of(Transaction.View view) {
        return new LedgerEntry(view.orderId(), view.stage().status, view.transactionId(), view.order().grossAmount(),
                view.transactionId() == null ? null : "bank_transfer", view.snapRequests(), view.tokensIssued(),
                text(view.createdAt()), text(view.transactionTime()), text(view.settledAt()),
                view.deliveries().stream().map(Delivery::view).toList());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
