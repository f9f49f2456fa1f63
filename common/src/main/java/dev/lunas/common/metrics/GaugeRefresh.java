package dev.lunas.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the gauges a service computes from its database are current. Each service reads those numbers with one
 * scheduled query, never per scrape, and passes that refresh through {@link #track}, which keeps
 * <ul>
 *   <li>{@code metrics_refreshed_timestamp_seconds}: epoch seconds of the last successful refresh (0 before the
 *       first). A gauge that froze because the database stopped answering keeps its last value; this timestamp
 *       shows that it is no longer being refreshed;</li>
 *   <li>{@code database_up}: 1 while the last refresh, the service's regular round trip to its database,
 *       succeeded; 0 after it failed (and before the first).</li>
 * </ul>
 * Both are registered at start-up.
 */
@Startup
@ApplicationScoped
public class GaugeRefresh {

    private final AtomicLong refreshedAtMillis = new AtomicLong();
    private final AtomicInteger databaseUp = new AtomicInteger();

    public GaugeRefresh(MeterRegistry registry) {
        Gauge.builder("metrics.refreshed.timestamp", refreshedAtMillis, millis -> millis.get() / 1000.0)
                .baseUnit("seconds")
                .description("Epoch seconds of the last successful refresh of the gauges read from the database")
                .strongReference(true)
                .register(registry);
        Gauge.builder("database.up", databaseUp, AtomicInteger::get)
                .description("1 while the last refresh from the database succeeded, 0 after it failed")
                .strongReference(true)
                .register(registry);
    }

    /** The refresh, recording its success or failure when it ends (the failure itself goes on to the caller). */
    public <T> Uni<T> track(Uni<T> refresh) {
        return refresh.onItemOrFailure().invoke((item, failure) -> {
            if (failure == null) {
                refreshedAtMillis.set(System.currentTimeMillis());
                databaseUp.set(1);
            } else {
                databaseUp.set(0);
            }
        });
    }
}
