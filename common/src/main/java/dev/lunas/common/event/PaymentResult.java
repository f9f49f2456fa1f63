package dev.lunas.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A verified payment fact from Midtrans, as payment-service publishes it to order-service. Only
 * payment-service can author one: {@code signature} is an HMAC over the event type and every other field
 * with a key that payment-service and order-service alone hold ({@link PaymentResultSignature}), and
 * order-service applies nothing whose signature does not verify.
 *
 * @param grossAmount       the transaction amount in rupiah, already checked against the attempt
 * @param refundAmount      for refunds and chargebacks, the amount taken back so far; otherwise null
 * @param source            {@code WEBHOOK} or {@code RECONCILIATION}
 * @param late              true when the money arrived after the payment had been closed as failed or expired
 * @param signature         lowercase hex HMAC-SHA256, see {@link PaymentResultSignature}; null until signed
 */
public record PaymentResult(UUID orderId, String transactionId, String transactionStatus, String fraudStatus,
                            String paymentType, long grossAmount, String currency, Long refundAmount,
                            String source, boolean late, Instant occurredAt, String signature) {

    /** An unsigned result, to be signed by {@link PaymentResultSignature#sign} before it is published. */
    public PaymentResult(UUID orderId, String transactionId, String transactionStatus, String fraudStatus,
                         String paymentType, long grossAmount, String currency, Long refundAmount,
                         String source, boolean late, Instant occurredAt) {
        this(orderId, transactionId, transactionStatus, fraudStatus, paymentType, grossAmount, currency, refundAmount,
                source, late, occurredAt, null);
    }

    public PaymentResult withSignature(String signature) {
        return new PaymentResult(orderId, transactionId, transactionStatus, fraudStatus, paymentType, grossAmount,
                currency, refundAmount, source, late, occurredAt, signature);
    }
}
