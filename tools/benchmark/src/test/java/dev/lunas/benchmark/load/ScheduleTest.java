package dev.lunas.benchmark.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void eachRequestHasItsOwnSendTimeWhateverTheEarlierOnesDid() {
        Schedule schedule = new Schedule(1_000, 250);

        assertThat(schedule.intendedNanos(0)).isEqualTo(1_000);
        assertThat(schedule.intendedNanos(1)).isEqualTo(1_000 + 4_000_000);
        assertThat(schedule.intendedNanos(250)).isEqualTo(1_000 + 1_000_000_000L);
    }

    @Test
    void fractionalRatesDoNotDrift() {
        Schedule schedule = new Schedule(0, 3);

        assertThat(schedule.intendedNanos(3_000)).isEqualTo(1_000_000_000_000L);
        assertThat(schedule.intendedNanos(1)).isEqualTo(333_333_333L);
    }

    @Test
    void aDurationHoldsTheRequestsWhoseSendTimeFallsInsideIt() {
        assertThat(new Schedule(0, 100).count(Duration.ofSeconds(30))).isEqualTo(3_000);
        assertThat(new Schedule(0, 2.5).count(Duration.ofSeconds(1))).isEqualTo(3);
        assertThat(new Schedule(0, 100).count(Duration.ZERO)).isZero();
    }

    @Test
    void latencyCountsFromTheIntendedSendTimeNotFromWhenTheRequestLeft() {
        long intended = 5_000_000;
        long actuallySent = 45_000_000;
        long answered = 47_000_000;

        assertThat(Schedule.latency(intended, answered)).isEqualTo(Duration.ofMillis(42));
        assertThat(Schedule.latency(actuallySent, answered)).isEqualTo(Duration.ofMillis(2));
        assertThat(Schedule.latency(answered, intended)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aRateMustBeAPositiveNumber() {
        assertThatThrownBy(() -> new Schedule(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Schedule(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Schedule(0, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
