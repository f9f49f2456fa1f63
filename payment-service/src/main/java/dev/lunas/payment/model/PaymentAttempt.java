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
 * One order's payment at Midtrans. Read through the repository; every change is a guarded UPDATE in
 * {@code PaymentAttemptRepository}, never a dirty-checked field write.
 */
@Entity
@Table(name = "payment_attempt")
public class PaymentAttempt {

    @Id
    @Column(name = "order_id")
    public UUID orderId;

    public long amount;

    public String currency;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Enumerated(EnumType.STRING)
    public PaymentStatus status;

    @Enumerated(EnumType.STRING)
    @Column(name = "recovery_point")
    public RecoveryPoint recoveryPoint;

    @Column(name = "snap_token")
    public String snapToken;

    @Column(name = "redirect_url")
    public String redirectUrl;

    @Column(name = "snap_lease_until")
    public Instant snapLeaseUntil;

    @Column(name = "snap_calls")
    public int snapCalls;

    @Column(name = "last_snap_error")
    public String lastSnapError;

    @Column(name = "transaction_id")
    public String transactionId;

    @Column(name = "transaction_status")
    public String transactionStatus;

    @Column(name = "fraud_status")
    public String fraudStatus;

    @Column(name = "payment_type")
    public String paymentType;

    @Column(name = "late_settlement")
    public boolean lateSettlement;

    @Column(name = "settled_at")
    public Instant settledAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "next_check_at")
    public Instant nextCheckAt;

    @Column(name = "last_checked_at")
    public Instant lastCheckedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
