package dev.lunas.launcher.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesOfAKnownDistribution() {
        Latencies latencies = new Latencies();
        for (int ms = 1; ms <= 1_000; ms++) {
            latencies.record(Duration.ofMillis(ms));
        }

        Latencies.Summary summary = latencies.summary();

        assertThat(summary.count()).isEqualTo(1_000);
        assertThat(summary.p50Ms()).isCloseTo(500, within(1.0));
        assertThat(summary.p90Ms()).isCloseTo(900, within(1.0));
        assertThat(summary.p99Ms()).isCloseTo(990, within(1.0));
        assertThat(summary.p999Ms()).isCloseTo(999, within(1.0));
        assertThat(summary.maxMs()).isCloseTo(1_000, within(1.0));
        assertThat(summary.meanMs()).isCloseTo(500.5, within(0.5));
    }

    @Test
    void oneSlowRequestShowsInTheTailNotTheMedian() {
        Latencies latencies = new Latencies();
        for (int i = 0; i < 999; i++) {
            latencies.record(Duration.ofMillis(2));
        }
        latencies.record(Duration.ofSeconds(3));

        Latencies.Summary summary = latencies.summary();

        assertThat(summary.p50Ms()).isCloseTo(2, within(0.01));
        assertThat(summary.p99Ms()).isCloseTo(2, within(0.01));
        assertThat(summary.maxMs()).isCloseTo(3_000, within(3.0));
    }

    @Test
    void nothingRecordedIsAllZero() {
        assertThat(new Latencies().summary()).isEqualTo(new Latencies.Summary(0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void subMicrosecondAndHugeValuesStayInRange() {
        Latencies latencies = new Latencies();
        latencies.record(Duration.ofNanos(10));
        latencies.record(Duration.ofHours(2));

        assertThat(latencies.count()).isEqualTo(2);
        assertThat(latencies.summary().maxMs()).isCloseTo(600_000, within(600.0));
    }
}
