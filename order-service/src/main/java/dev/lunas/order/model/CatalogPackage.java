package dev.lunas.order.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A course package on sale. Quota accounting changes only through guarded statements in the repository. */
@Entity
@Table(name = "package")
public class CatalogPackage {

    @Id
    private String id;
    private String name;
    private long price;
    private String currency;
    private Integer quota;
    private int reserved;
    private boolean active;
    @Column(name = "created_at")
    private Instant createdAt;

    protected CatalogPackage() {
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public long price() {
        return price;
    }

    public String currency() {
        return currency;
    }

    /** Null when the package is unlimited. */
    public Integer quota() {
        return quota;
    }

    public int reserved() {
        return reserved;
    }

    public boolean active() {
        return active;
    }

    /** Places left, or null when unlimited; never negative (a late settlement may overrun the quota). */
    public Integer remaining() {
        return quota == null ? null : Math.max(0, quota - reserved);
    }
}
