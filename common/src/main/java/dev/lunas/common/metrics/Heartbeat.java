package dev.lunas.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A 1/0 gauge that reads 1 while {@link #beat()} has been called within the timeout: the way an
 * alert notices that a loop or scheduler stopped, which a counter that merely stops growing hides.
 */
public final class Heartbeat {

    private final AtomicLong lastBeatNanos = new AtomicLong();
    private final long timeoutNanos;

    private Heartbeat(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Registers the gauge (e.g. {@code worker.alive}, exported as {@code worker_alive}). */
    public static Heartbeat register(MeterRegistry registry, String name, String description, Duration timeout) {
        Heartbeat heartbeat = new Heartbeat(timeout);
        Gauge.builder(name, heartbeat, Heartbeat::value).description(description).register(registry);
        return heartbeat;
    }

    public void beat() {
        lastBeatNanos.set(System.nanoTime());
    }

    public boolean alive() {
        long last = lastBeatNanos.get();
        return last != 0 && System.nanoTime() - last <= timeoutNanos;
    }

    double value() {
        return alive() ? 1 : 0;
    }
}
