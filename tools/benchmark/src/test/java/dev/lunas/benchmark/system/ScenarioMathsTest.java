package dev.lunas.benchmark.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.benchmark.BenchSettings;
import dev.lunas.benchmark.sql.Pgbench;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScenarioMathsTest {

    @Test
    void medianAndMaximumOfStartTimes() {
        assertThat(Stats.median(List.of(4_100L, 3_900L, 4_000L))).isEqualTo(4_000);
        assertThat(Stats.median(List.of(4_100L, 3_900L))).isEqualTo(4_000);
        assertThat(Stats.median(List.of())).isZero();
        assertThat(Stats.max(List.of(4_100L, 3_900L, 6_200L))).isEqualTo(6_200);
    }

    @Test
    void mailsInHandOffAtOnceFollowFromWhenEachArrivedAndTheLatency() {
        Instant t = Instant.parse("2026-11-21T23:00:00Z");
        Duration latency = Duration.ofMillis(20);

        assertThat(Stats.peakOverlap(List.of(t, t.plusMillis(20), t.plusMillis(40)), latency)).as("one after the other").isEqualTo(1);
        assertThat(Stats.peakOverlap(List.of(t, t.plusMillis(5), t.plusMillis(10), t.plusMillis(30)), latency)).isEqualTo(3);
        assertThat(Stats.peakOverlap(List.of(), latency)).isZero();
    }

    @Test
    void postgresTimestampsAreReadAsInstants() {
        assertThat(Benchmark.timestamp("2026-11-21 23:25:53.390149+00")).isEqualTo(Instant.parse("2026-11-21T23:25:53.390149Z"));
        assertThat(Benchmark.timestamp("2026-11-22 06:25:53+07")).isEqualTo(Instant.parse("2026-11-21T23:25:53Z"));
        assertThat(Benchmark.timestamp("2026-11-22 06:25:53.5+05:30")).isEqualTo(Instant.parse("2026-11-22T00:55:53.500Z"));
    }

    @Test
    void theWebhookReferenceIsSeededGenerously() {
        Pgbench.Result checkout = new Pgbench.Result(10, 15, "prepared", 1_000, 15_000, 0, 10, "");

        assertThat(BenchRun.seedsPerClient(BenchSettings.standard(), Optional.of(checkout), 10)).isEqualTo(9_000);
        assertThat(BenchRun.seedsPerClient(BenchSettings.standard(), Optional.empty(), 10)).isEqualTo(2_000);
    }

    @Test
    void aCheckoutBodyIsAValidBuyerEachTime() {
        assertThat(Checkouts.body("ai-movie-course", 7)).isEqualTo("{\"packageId\":\"ai-movie-course\",\"customer\":{\"name\":"
                + "\"Pembeli 7\",\"email\":\"buyer-7@bench.lunas.local\",\"phone\":\"081200000007\"}}");
        assertThat(Checkouts.body("x", 123_456_789)).contains("\"phone\":\"081223456789\"");
    }
}
