package dev.lunas.benchmark.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small sums over measured samples. */
final class Stats {

    private Stats() {
    }

    static double median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
    }

    static double max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /**
     * The most intervals {@code [start, start + length)} that overlap at any moment: with each mail held by the sink
     * for its latency, how many mails the sender had in hand-off at once.
     */
    static int peakOverlap(List<Instant> starts, Duration length) {
        List<long[]> edges = new ArrayList<>();
        for (Instant start : starts) {
            long at = start.getEpochSecond() * 1_000_000_000L + start.getNano();
            edges.add(new long[] {at, 1});
            edges.add(new long[] {at + length.toNanos(), -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int open = 0;
        int peak = 0;
        for (long[] edge : edges) {
            open += (int) edge[1];
            peak = Math.max(peak, open);
        }
        return peak;
    }
}
