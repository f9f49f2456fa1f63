package dev.lunas.order.service;

import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.model.CatalogPackage;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.Entitlement;
import dev.lunas.order.repository.EntitlementRepository;
import dev.lunas.order.repository.OrderRepository;
import dev.lunas.order.repository.OrderRepository.PendingCounts;
import dev.lunas.order.repository.PackageRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Read-only access, each method in a session of its own. */
@ApplicationScoped
public class OrderQueries {

    private final OrderRepository orders;
    private final PackageRepository packages;
    private final EntitlementRepository entitlements;
    private final OrderConfig config;

    public OrderQueries(OrderRepository orders, PackageRepository packages, EntitlementRepository entitlements,
                        OrderConfig config) {
        this.orders = orders;
        this.packages = packages;
        this.entitlements = entitlements;
        this.config = config;
    }

    @WithSession
    public Uni<CustomerOrder> order(UUID orderId) {
        return orders.findById(orderId);
    }

    @WithSession
    public Uni<List<CatalogPackage>> activePackages() {
        return packages.listActive();
    }

    @WithSession
    public Uni<List<Entitlement>> entitlements(String email) {
        return entitlements.listByEmail(email);
    }

    @WithSession
    public Uni<PendingCounts> pendingCounts() {
        return orders.countPending(config.gauges().pendingAgingAge());
    }
}
