package dev.lunas.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

class GaugeRefreshTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GaugeRefresh refresh = new GaugeRefresh(registry);

    @Test
    void bothGaugesExistBeforeTheFirstRefresh() {
        assertThat(refreshedAt()).isZero();
        assertThat(databaseUp()).isZero();
    }

    @Test
    void aSuccessfulRefreshIsStampedAndTheDatabaseIsUp() {
        double before = System.currentTimeMillis() / 1000.0;

        assertThat(refresh.track(Uni.createFrom().item(5)).await().indefinitely()).isEqualTo(5);

        assertThat(refreshedAt()).isBetween(before, System.currentTimeMillis() / 1000.0);
        assertThat(databaseUp()).isEqualTo(1);
    }

    @Test
    void aFailedRefreshKeepsTheLastStampAndTheDatabaseIsDown() {
        refresh.track(Uni.createFrom().item(5)).await().indefinitely();
        double stamped = refreshedAt();

        assertThatThrownBy(() -> refresh.track(Uni.createFrom().failure(new IllegalStateException("connection refused")))
                .await().indefinitely()).hasMessage("connection refused");

        assertThat(refreshedAt()).isEqualTo(stamped);
        assertThat(databaseUp()).isZero();
        refresh.track(Uni.createFrom().item(5)).await().indefinitely();
        assertThat(databaseUp()).isEqualTo(1);
    }

    private double refreshedAt() {
        return registry.get("metrics.refreshed.timestamp").gauge().value();
    }

    private double databaseUp() {
        return registry.get("database.up").gauge().value();
    }
}
