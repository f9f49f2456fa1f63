package dev.lunas.order.model;

import java.util.EnumSet;
import java.util.Set;

/** Course access: ACTIVE once paid; SUSPENDED after a partial refund or chargeback; REVOKED for good. */
public enum EntitlementStatus {
    ACTIVE,
    SUSPENDED,
    REVOKED;

    /** The statuses an entitlement may move to this one from; nothing ever comes back from REVOKED. */
    public Set<EntitlementStatus> sources() {
        return switch (this) {
            case ACTIVE -> EnumSet.noneOf(EntitlementStatus.class);
            case SUSPENDED -> EnumSet.of(ACTIVE);
            case REVOKED -> EnumSet.of(ACTIVE, SUSPENDED);
        };
    }
}
