package dev.lunas.payment.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/**
 * A verified payment fact from Midtrans (a notification or a Get Status answer): its signature
 * matched and its fields are consistent. Statuses are lower-cased; amounts keep the exact strings.
 *
 * @param payload the body exactly as Midtrans sent it, for the inbox
 */
public record MidtransFact(String orderId, String statusCode, String grossAmount, String transactionStatus,
                           String fraudStatus, String transactionId, String paymentType, String currency,
                           String refundAmount, String settlementTime, String transactionTime, String payload) {

    /** Midtrans writes its times in WIB without a zone. */
    static final ZoneOffset WIB = ZoneOffset.ofHours(7);
    private static final DateTimeFormatter MIDTRANS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public BigDecimal amount() {
        return new BigDecimal(grossAmount.trim());
    }

    /** The refunded amount in whole rupiah, or null when the notification carries none. */
    public Long refundRupiah() {
        return refundAmount == null ? null : new BigDecimal(refundAmount.trim()).longValueExact();
    }

    /**
     * One fact, however often it is delivered: two refund notifications for the same refund share it,
     * a second partial refund (a new total) does not.
     */
    public String idempotencyKey() {
        String refund = refundAmount == null ? "" : new BigDecimal(refundAmount.trim()).stripTrailingZeros().toPlainString();
        return String.join("|", orderId, nullToEmpty(transactionId), transactionStatus, nullToEmpty(fraudStatus), refund);
    }

    /** The order this fact is about, when its id can be one of ours. */
    public Optional<UUID> ourOrderId() {
        try {
            return Optional.of(UUID.fromString(orderId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** When Midtrans says it happened: settlement time, else transaction time, else now. */
    public Instant occurredAt() {
        for (String time : new String[] {settlementTime, transactionTime}) {
            if (time != null) {
                try {
                    return LocalDateTime.parse(time.trim(), MIDTRANS_TIME).toInstant(WIB);
                } catch (DateTimeParseException ignored) {
                    // a format we do not know is no reason to refuse a verified payment fact
                }
            }
        }
        return Instant.now();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
