package dev.lunas.order.metrics;

import dev.lunas.order.repository.OrderRepository.PendingCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The playbook's order metrics: {@code checkout_created_total}, {@code orders_pending} and
 * {@code orders_pending_aging}. The gauges hold the last value the gauge job read from the database, so
 * a scrape never queries it. Registered at start, so every name is exported before the first checkout.
 */
@Startup
@ApplicationScoped
public class OrderMetrics {

    private final Counter checkoutCreated;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong pendingAging = new AtomicLong();

    public OrderMetrics(MeterRegistry registry) {
        this.checkoutCreated = Counter.builder("checkout.created")
                .description("Orders created by checkout")
                .register(registry);
        Gauge.builder("orders.pending", pending, AtomicLong::get)
                .description("Orders waiting for payment (CREATED or PENDING_PAYMENT)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("orders.pending.aging", pendingAging, AtomicLong::get)
                .description("Orders waiting for payment for longer than lunas.order.gauges.pending-aging-age")
                .strongReference(true)
                .register(registry);
    }

    public void checkoutCreated() {
        checkoutCreated.increment();
    }

    public void pendingCounted(PendingCounts counts) {
        pending.set(counts.pending());
        pendingAging.set(counts.aging());
    }
}
