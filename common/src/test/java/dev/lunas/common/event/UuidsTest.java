package dev.lunas.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidsTest {

    @Test
    void version7WithRfcVariantAndCurrentTimestamp() {
        long before = System.currentTimeMillis();
        UUID id = Uuids.v7();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void neverRepeatsAndSortsByCreationTimeAcrossMilliseconds() throws InterruptedException {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(Uuids.v7())).isTrue();
        }
        UUID earlier = Uuids.v7();
        long stamp = System.currentTimeMillis();
        while (System.currentTimeMillis() == stamp) {
            Thread.onSpinWait();
        }
        assertThat(Uuids.v7().toString()).isGreaterThan(earlier.toString());
    }
}
