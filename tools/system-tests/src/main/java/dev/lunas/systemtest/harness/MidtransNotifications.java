package dev.lunas.systemtest.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.midtrans.LedgerEntry;
import dev.lunas.launcher.midtrans.Signature;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Midtrans HTTP notification bodies for a transaction the simulator holds, as a replay, a copy or a forgery
 * would carry them: the same fields the simulator sends (docs/midtrans.md §a), signed with the run's server key
 * over {@code order_id + status_code + gross_amount + key}. A caller tampers with the returned object to forge.
 */
public final class MidtransNotifications {

    /** The {@code status_code} Midtrans sends with each transaction status it signs. */
    private static final Map<String, String> STATUS_CODES = Map.of(
            "pending", "201", "settlement", "200", "capture", "200", "deny", "202", "cancel", "202", "expire", "202");
    private static final DateTimeFormatter WIB = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.of("Asia/Jakarta"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private MidtransNotifications() {
    }

    /** The notification of {@code transactionStatus} for the transaction, signed as Midtrans signs it. */
    public static ObjectNode signed(LedgerEntry transaction, String transactionStatus, String serverKey) {
        Instant time = transaction.transactionTime() == null ? Instant.now() : Instant.parse(transaction.transactionTime());
        return signed(transaction.orderId(), transaction.transactionId(), transaction.grossAmount(), time,
                transactionStatus, serverKey);
    }

    /** The notification of {@code transactionStatus} for any order_id and transaction_id, signed with the key given. */
    public static ObjectNode signed(String orderId, String transactionId, long grossAmount, Instant transactionTime,
                                    String transactionStatus, String serverKey) {
        String statusCode = STATUS_CODES.get(transactionStatus);
        if (statusCode == null) {
            throw new IllegalArgumentException("no status_code known for " + transactionStatus);
        }
        String amount = BigDecimal.valueOf(grossAmount).setScale(2).toPlainString();
        return JSON.createObjectNode()
                .put("transaction_time", WIB.format(transactionTime))
                .put("transaction_status", transactionStatus)
                .put("transaction_id", transactionId)
                .put("status_message", "midtrans payment notification")
                .put("status_code", statusCode)
                .put("signature_key", Signature.of(orderId, statusCode, amount, serverKey))
                .put("payment_type", "bank_transfer")
                .put("order_id", orderId)
                .put("merchant_id", "G800000001")
                .put("gross_amount", amount)
                .put("fraud_status", "accept")
                .put("currency", "IDR");
    }
}
