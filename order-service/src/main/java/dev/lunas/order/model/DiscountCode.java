package dev.lunas.order.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A discount code; codes are stored upper-case and matched case-insensitively. */
@Entity
@Table(name = "discount_code")
public class DiscountCode {

    @Id
    private String code;
    @Enumerated(EnumType.STRING)
    private DiscountKind kind;
    @Column(name = "percent_off")
    private Integer percentOff;
    @Column(name = "amount_off")
    private Long amountOff;
    @Column(name = "package_id")
    private String packageId;
    @Column(name = "valid_from")
    private Instant validFrom;
    @Column(name = "valid_until")
    private Instant validUntil;
    @Column(name = "max_uses")
    private Integer maxUses;
    private int uses;
    @Column(name = "once_per_email")
    private boolean oncePerEmail;
    private boolean active;
    @Column(name = "created_at")
    private Instant createdAt;

    protected DiscountCode() {
    }

    public String code() {
        return code;
    }

    public boolean oncePerEmail() {
        return oncePerEmail;
    }

    public boolean usableAt(Instant when) {
        return active
                && (validFrom == null || !validFrom.isAfter(when))
                && (validUntil == null || validUntil.isAfter(when));
    }

    public boolean appliesTo(String candidatePackageId) {
        return packageId == null || packageId.equals(candidatePackageId);
    }

    /** The rupiah taken off {@code price}, before the floor that keeps every order at Rp 1 or more. */
    public long discountOn(long price) {
        return kind == DiscountKind.PERCENT ? Math.multiplyExact(price, percentOff.longValue()) / 100 : amountOff;
    }
}
