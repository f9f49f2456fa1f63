package dev.lunas.benchmark.load;

import java.time.Duration;

/**
 * When each request of an open-loop run is meant to leave: request {@code i} at {@code start + i / rate}, whatever
 * happened to the earlier ones. Latency is measured from this intended time, not from when the request really left,
 * so a generator or a system that falls behind shows up as latency instead of silently sending less (coordinated
 * omission, as wrk2 corrects it).
 */
public record Schedule(long startNanos, double ratePerSecond) {

    public Schedule {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of requests per second, was " + ratePerSecond);
        }
    }

    /** The intended send time of request {@code index} (from 0), on the {@link System#nanoTime()} scale. */
    public long intendedNanos(long index) {
        return startNanos + Math.round(index * 1_000_000_000.0 / ratePerSecond);
    }

    /** How many requests fit into {@code duration}: those whose intended time lies before its end. */
    public long count(Duration duration) {
        return (long) Math.ceil(duration.toNanos() * ratePerSecond / 1_000_000_000.0);
    }

    /** The latency of a request as the client sees it: from its intended send time until its answer. */
    public static Duration latency(long intendedNanos, long answeredNanos) {
        return Duration.ofNanos(Math.max(0, answeredNanos - intendedNanos));
    }
}
