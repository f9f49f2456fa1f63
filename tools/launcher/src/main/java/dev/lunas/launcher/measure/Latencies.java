package dev.lunas.launcher.measure;

import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Response times of one kind of request: a distribution in microseconds with three significant digits
 * (HdrHistogram), safe to record into from the threads that complete requests. The benchmark and the fault suite
 * both report their latencies with it.
 */
public final class Latencies {

    private static final long HIGHEST_MICROS = Duration.ofMinutes(10).toNanos() / 1_000;

    private final Histogram histogram = new ConcurrentHistogram(HIGHEST_MICROS, 3);

    public void record(Duration latency) {
        long micros = Math.max(1, latency.toNanos() / 1_000);
        histogram.recordValue(Math.min(micros, HIGHEST_MICROS));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The percentiles the report shows, in milliseconds; all zero when nothing was recorded. */
    public Summary summary() {
        if (histogram.getTotalCount() == 0) {
            return new Summary(0, 0, 0, 0, 0, 0, 0);
        }
        return new Summary(histogram.getTotalCount(), millis(histogram.getMean()),
                millis(histogram.getValueAtPercentile(50)), millis(histogram.getValueAtPercentile(90)),
                millis(histogram.getValueAtPercentile(99)), millis(histogram.getValueAtPercentile(99.9)),
                millis(histogram.getMaxValue()));
    }

    private static double millis(double micros) {
        return Math.round(micros) / 1_000.0;
    }

    /** A distribution in milliseconds (microsecond precision). */
    public record Summary(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {

        /** "p50 12.3 ms, p99 45.6 ms, max 78.9 ms (n=100)". */
        public String text() {
            return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", p50Ms, p99Ms, maxMs, count);
        }
    }
}
