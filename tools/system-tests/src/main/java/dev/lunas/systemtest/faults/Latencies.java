package dev.lunas.systemtest.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Response times of one kind of request, for percentiles. */
final class Latencies {

    private final List<Long> micros = Collections.synchronizedList(new ArrayList<>());

    void add(Duration duration) {
        micros.add(duration.toNanos() / 1_000);
    }

    int count() {
        return micros.size();
    }

    /** The q-quantile (0..1) in milliseconds, nearest rank; 0 when empty. */
    double millis(double q) {
        List<Long> sorted;
        synchronized (micros) {
            sorted = new ArrayList<>(micros);
        }
        if (sorted.isEmpty()) {
            return 0;
        }
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1000.0;
    }

    /** "p50 12.3 ms, p99 45.6 ms, max 78.9 ms (n=100)". */
    String summary() {
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", millis(0.5), millis(0.99),
                millis(1.0), count());
    }
}
