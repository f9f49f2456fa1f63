package dev.lunas.order.service;

import dev.lunas.common.event.Uuids;
import dev.lunas.common.logging.Journal;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.EntitlementStatus;
import dev.lunas.order.repository.EntitlementRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Grants and restricts course access inside the caller's transaction. */
@ApplicationScoped
public class Entitlements {

    private final EntitlementRepository entitlements;
    private final OrderConfig config;

    public Entitlements(EntitlementRepository entitlements, OrderConfig config) {
        this.entitlements = entitlements;
        this.config = config;
    }

    public String accessUrl() {
        return config.courseAccessUrl();
    }

    /** Grants access for a paid order; false if the order already had it. */
    public Uni<Boolean> grant(CustomerOrder order, Instant now, Journal journal) {
        return entitlements.grant(Uuids.v7(), order.id(), order.customerEmail(), order.packageId(), accessUrl(), now)
                .invoke(granted -> {
                    if (granted) {
                        journal.info("ENTITLEMENT_GRANTED", order.id(), "package=%s %s", order.packageId(),
                                OrderEvents.maskedContact(order));
                    }
                });
    }

    /** Suspends or revokes; false when the entitlement is missing or already at least that restricted. */
    public Uni<Boolean> restrict(CustomerOrder order, EntitlementStatus target, Instant now, Journal journal) {
        return entitlements.move(order.id(), target, now).invoke(moved -> {
            if (moved) {
                journal.info("ENTITLEMENT_" + target, order.id(), "package=%s", order.packageId());
            }
        });
    }
}
