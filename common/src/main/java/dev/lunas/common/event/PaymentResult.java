package dev.lunas.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A verified payment fact from Midtrans, as payment-service publishes it to order-service.
 *
 * @param grossAmount       the transaction amount in rupiah, already checked against the attempt
 * @param refundAmount      for refunds and chargebacks, the amount taken back so far; otherwise null
 * @param source            {@code WEBHOOK} or {@code RECONCILIATION}
 * @param late              true when the money arrived after the payment had been closed as failed or expired
 */
public record PaymentResult(UUID orderId, String transactionId, String transactionStatus, String fraudStatus,
                            String paymentType, long grossAmount, String currency, Long refundAmount,
                            String source, boolean late, Instant occurredAt) {
}
