package dev.lunas.order.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An order. Its status changes only through {@link OrderTransition}s applied by guarded updates in the
 * repository, never by setting fields on a loaded entity.
 */
@Entity
@Table(name = "customer_order")
public class CustomerOrder {

    @Id
    private UUID id;
    @Column(name = "package_id")
    private String packageId;
    @Column(name = "package_name")
    private String packageName;
    private long price;
    @Column(name = "discount_code")
    private String discountCode;
    @Column(name = "discount_amount")
    private long discountAmount;
    private long amount;
    private String currency;
    @Enumerated(EnumType.STRING)
    private OrderStatus status;
    @Column(name = "customer_name")
    private String customerName;
    @Column(name = "customer_email")
    private String customerEmail;
    @Column(name = "customer_phone")
    private String customerPhone;
    @Column(name = "payment_token")
    private String paymentToken;
    @Column(name = "payment_url")
    private String paymentUrl;
    @Column(name = "payment_transaction_id")
    private String paymentTransactionId;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "paid_at")
    private Instant paidAt;
    @Column(name = "closed_at")
    private Instant closedAt;
    @Column(name = "reminder_sent_at")
    private Instant reminderSentAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "place_held_until")
    private Instant placeHeldUntil;
    @Enumerated(EnumType.STRING)
    @Column(name = "closed_reason")
    private ClosedReason closedReason;

    protected CustomerOrder() {
    }

    /**
     * A new order in CREATED, priced by the caller. {@code placeHeldUntil} is set for an order of a limited
     * package, whose place is held only that long; then it equals {@code expiresAt}.
     */
    public static CustomerOrder create(UUID id, CatalogPackage pkg, String discountCode, long discountAmount,
                                       String customerName, String customerEmail, String customerPhone,
                                       Instant createdAt, Instant expiresAt, Instant placeHeldUntil) {
        CustomerOrder order = new CustomerOrder();
        order.id = id;
        order.packageId = pkg.id();
        order.packageName = pkg.name();
        order.price = pkg.price();
        order.discountCode = discountCode;
        order.discountAmount = discountAmount;
        order.amount = pkg.price() - discountAmount;
        order.currency = pkg.currency();
        order.status = OrderStatus.CREATED;
        order.customerName = customerName;
        order.customerEmail = customerEmail;
        order.customerPhone = customerPhone;
        order.createdAt = createdAt;
        order.expiresAt = expiresAt;
        order.updatedAt = createdAt;
        order.placeHeldUntil = placeHeldUntil;
        return order;
    }

    public UUID id() {
        return id;
    }

    public String packageId() {
        return packageId;
    }

    public String packageName() {
        return packageName;
    }

    public long price() {
        return price;
    }

    public String discountCode() {
        return discountCode;
    }

    public long discountAmount() {
        return discountAmount;
    }

    public long amount() {
        return amount;
    }

    public String currency() {
        return currency;
    }

    public OrderStatus status() {
        return status;
    }

    public String customerName() {
        return customerName;
    }

    public String customerEmail() {
        return customerEmail;
    }

    public String customerPhone() {
        return customerPhone;
    }

    public String paymentToken() {
        return paymentToken;
    }

    public String paymentUrl() {
        return paymentUrl;
    }

    public String paymentTransactionId() {
        return paymentTransactionId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Instant paidAt() {
        return paidAt;
    }

    /** Until when a limited package's place is held for this order; null for an unlimited package. */
    public Instant placeHeldUntil() {
        return placeHeldUntil;
    }

    /** Why the order closed unpaid; null while open or once paid. */
    public ClosedReason closedReason() {
        return closedReason;
    }

    /** The reason an expiry of this order gets: a lapsed hold for a limited package, else the window. */
    public ClosedReason expiryReason() {
        return placeHeldUntil != null ? ClosedReason.HOLD_LAPSED : ClosedReason.PAYMENT_WINDOW_LAPSED;
    }
}
