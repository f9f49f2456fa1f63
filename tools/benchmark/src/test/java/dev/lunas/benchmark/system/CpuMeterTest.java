package dev.lunas.benchmark.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

    @Test
    void theMachineIsBusyForEverythingButIdleAndIoWait() {
        long[] ticks = CpuMeter.parseMachine("cpu  100 5 50 800 40 3 2 0 0 0");

        assertThat(ticks[1]).isEqualTo(1000);
        assertThat(ticks[0]).isEqualTo(160);
    }

    @Test
    void usageIsCpuTimePerRequestAndARestartedServiceIsLeftOut() {
        CpuMeter.Sample before = new CpuMeter.Sample(Map.of("order-service@10", 1_000L, "notification-service@11", 50L, "postgres", 300L),
                10_000, 20_000);
        CpuMeter.Sample after = new CpuMeter.Sample(Map.of("order-service@10", 1_950L, "notification-service@12", 20L, "postgres", 425L),
                11_940, 22_000);

        CpuMeter.Usage usage = CpuMeter.between(before, after, 1_000);

        assertThat(usage.msPerRequest()).containsOnly(Map.entry("order-service", 9.5), Map.entry("postgres", 1.25));
        assertThat(usage.machineBusyPercent()).isEqualTo(97.0);
        assertThat(usage.otherPercent()).as("1940 busy ticks, 950 + 125 of them ours").isEqualTo(43.3);
    }
}
