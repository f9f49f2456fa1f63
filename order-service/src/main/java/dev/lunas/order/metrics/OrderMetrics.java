package dev.lunas.order.metrics;

import dev.lunas.order.repository.OrderRepository.PendingCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The playbook's order metrics: {@code checkout_created_total}, {@code orders_paid_total},
 * {@code orders_expired_total}, {@code orders_pending} and {@code orders_pending_aging}. The counters count
 * changes once their transaction committed. The gauges hold the last value the gauge job read from the database
 * (common's {@code GaugeRefresh} says when that was), so a scrape never queries it. Registered at start, so every
 * name is exported before the first checkout.
 */
@Startup
@ApplicationScoped
public class OrderMetrics {

    private final Counter checkoutCreated;
    private final Counter paid;
    private final Counter expired;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong pendingAging = new AtomicLong();

    public OrderMetrics(MeterRegistry registry) {
        this.checkoutCreated = Counter.builder("checkout.created")
                .description("Orders created by checkout")
                .register(registry);
        this.paid = Counter.builder("orders.paid")
                .description("Orders that became PAID, late settlements included")
                .register(registry);
        this.expired = Counter.builder("orders.expired")
                .description("Orders that became EXPIRED: by the expiry job, or when Midtrans expired the payment")
                .register(registry);
        Gauge.builder("orders.pending", pending, AtomicLong::get)
                .description("Orders waiting for payment (CREATED or PENDING_PAYMENT)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("orders.pending.aging", pendingAging, AtomicLong::get)
                .description("Orders waiting for payment (CREATED or PENDING_PAYMENT) for longer than"
                        + " lunas.order.gauges.pending-aging-age (30 minutes)")
                .strongReference(true)
                .register(registry);
    }

    public void checkoutCreated() {
        checkoutCreated.increment();
    }

    /** An order became PAID; called once its transaction committed. */
    public void orderPaid() {
        paid.increment();
    }

    /** Orders became EXPIRED; called once their transaction committed. */
    public void ordersExpired(int count) {
        expired.increment(count);
    }

    public void pendingCounted(PendingCounts counts) {
        pending.set(counts.pending());
        pendingAging.set(counts.aging());
    }
}
