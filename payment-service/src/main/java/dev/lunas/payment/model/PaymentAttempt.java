package dev.lunas.payment.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One order's payment at Midtrans; the Midtrans {@code order_id} is the order id. Inserted and changed only
 * by the guarded statements of {@code PaymentAttemptRepository} (each names the states it may leave), never
 * by setting fields on a loaded entity, so it has no setters. Invariants: amount and currency never change;
 * the status moves from {@code PENDING} only, or from {@code FAILED}/{@code EXPIRED} to {@code SETTLED} for a
 * late settlement Midtrans confirmed, and never leaves {@code SETTLED}; the recovery point moves from
 * {@code STARTED} only, and a Snap token is stored exactly when it is {@code TOKEN_CREATED}.
 */
@Entity
@Table(name = "payment_attempt")
public class PaymentAttempt {

    @Id
    @Column(name = "order_id")
    private UUID orderId;
    private long amount;
    private String currency;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Enumerated(EnumType.STRING)
    private PaymentStatus status;
    @Enumerated(EnumType.STRING)
    @Column(name = "recovery_point")
    private RecoveryPoint recoveryPoint;
    @Column(name = "snap_token")
    private String snapToken;
    @Column(name = "redirect_url")
    private String redirectUrl;
    @Column(name = "snap_lease_until")
    private Instant snapLeaseUntil;
    @Column(name = "snap_calls")
    private int snapCalls;
    @Column(name = "last_snap_error")
    private String lastSnapError;
    @Column(name = "transaction_id")
    private String transactionId;
    @Column(name = "transaction_status")
    private String transactionStatus;
    @Column(name = "fraud_status")
    private String fraudStatus;
    @Column(name = "payment_type")
    private String paymentType;
    @Column(name = "late_settlement")
    private boolean lateSettlement;
    @Column(name = "settled_at")
    private Instant settledAt;
    @Column(name = "closed_at")
    private Instant closedAt;
    @Column(name = "next_check_at")
    private Instant nextCheckAt;
    @Column(name = "last_checked_at")
    private Instant lastCheckedAt;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;

    protected PaymentAttempt() {
    }

    /**
     * The attempt as the repository's {@code insertIfAbsent} has just written it (PENDING, STARTED, no token), for
     * the transaction that wrote it: what it needs to go on without reading the row back. Not a managed entity.
     */
    public static PaymentAttempt started(UUID orderId, long amount, String currency, Instant expiresAt) {
        PaymentAttempt attempt = new PaymentAttempt();
        attempt.orderId = orderId;
        attempt.amount = amount;
        attempt.currency = currency;
        attempt.expiresAt = expiresAt;
        attempt.status = PaymentStatus.PENDING;
        attempt.recoveryPoint = RecoveryPoint.STARTED;
        return attempt;
    }

    /**
     * This started attempt as the repository's {@code storeToken} leaves it once it applied (TOKEN_CREATED with the
     * token): a copy to answer from, not a managed entity; the row itself changes only by that statement.
     */
    public PaymentAttempt withToken(String token, String redirectUrl) {
        PaymentAttempt attempt = started(orderId, amount, currency, expiresAt);
        attempt.status = status;
        attempt.recoveryPoint = RecoveryPoint.TOKEN_CREATED;
        attempt.snapToken = token;
        attempt.redirectUrl = redirectUrl;
        attempt.transactionId = transactionId;
        return attempt;
    }

    /** The order this payment is for, and its Midtrans {@code order_id}. */
    public UUID orderId() {
        return orderId;
    }

    /** Whole rupiah, as the order priced it. */
    public long amount() {
        return amount;
    }

    public String currency() {
        return currency;
    }

    /** When the order stops being payable; the Snap token never outlives it. */
    public Instant expiresAt() {
        return expiresAt;
    }

    public PaymentStatus status() {
        return status;
    }

    public RecoveryPoint recoveryPoint() {
        return recoveryPoint;
    }

    /** The Snap token; null before {@link RecoveryPoint#TOKEN_CREATED}. */
    public String snapToken() {
        return snapToken;
    }

    /** Snap's payment page for the token; null with it. */
    public String redirectUrl() {
        return redirectUrl;
    }

    /** Midtrans's transaction id, once a notification or Get Status named one. */
    public String transactionId() {
        return transactionId;
    }
}
