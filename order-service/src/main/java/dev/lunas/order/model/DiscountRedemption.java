package dev.lunas.order.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The use of a discount code by one order; released when the order ends unpaid. */
@Entity
@Table(name = "discount_redemption")
public class DiscountRedemption {

    @Id
    @Column(name = "order_id")
    private UUID orderId;
    private String code;
    private String email;
    @Column(name = "once_per_email")
    private boolean oncePerEmail;
    @Column(name = "released_at")
    private Instant releasedAt;
    @Column(name = "created_at")
    private Instant createdAt;

    protected DiscountRedemption() {
    }
}
