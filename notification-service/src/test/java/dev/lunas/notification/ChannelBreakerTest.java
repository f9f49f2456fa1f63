package dev.lunas.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.notification.service.ChannelBreaker;
import dev.lunas.notification.service.ChannelBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChannelBreakerTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ChannelBreaker breaker = new ChannelBreaker(4, 0.5, Duration.ofSeconds(60), now::get);

    @Test
    void opensWhenHalfTheWindowFailedAndThenClaimsNothing() {
        breaker.recordSuccess();
        breaker.recordFailure();
        breaker.recordSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        breaker.recordFailure();

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.permits(16)).isZero();
        assertThat(breaker.closedFor()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aFullWindowIsNeededBeforeItOpens() {
        breaker.recordFailure();
        breaker.recordFailure();
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.permits(16)).isEqualTo(16);
    }

    @Test
    void afterTheDelayOneProbeDecides() {
        for (int i = 0; i < 4; i++) {
            breaker.recordFailure();
        }
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(breaker.permits(16)).isZero();

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(breaker.permits(16)).isEqualTo(1);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.permits(16)).as("one probe at a time").isZero();

        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(breaker.permits(16)).isEqualTo(1);
        breaker.recordSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.permits(16)).isEqualTo(16);
    }

    @Test
    void anUnusedProbeLetsTheNextClaimProbe() {
        for (int i = 0; i < 4; i++) {
            breaker.recordFailure();
        }
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(breaker.permits(16)).isEqualTo(1);
        breaker.probeUnused();
        assertThat(breaker.permits(16)).isEqualTo(1);
    }

    @Test
    void oldOutcomesLeaveTheWindow() {
        breaker.recordFailure();
        breaker.recordFailure();
        breaker.recordSuccess();
        breaker.recordSuccess();
        breaker.recordSuccess();
        breaker.recordSuccess();
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }
}
