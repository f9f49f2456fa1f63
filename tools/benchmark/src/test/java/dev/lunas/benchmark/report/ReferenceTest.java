package dev.lunas.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lunas.benchmark.sql.Pgbench;
import org.junit.jupiter.api.Test;

class ReferenceTest {

    private static Pgbench.Result tps(double tps) {
        return new Pgbench.Result(10, 15, "prepared", tps, (long) (tps * 15), 0, 10_000 / tps, "");
    }

    @Test
    void theLowerOfTheRunsBeforeAndAfterIsTheMachinesLimit() {
        assertThat(new Reference(10, "prepared", 1, tps(1_200), tps(950), "").requestsPerSecond()).isEqualTo(950);
        assertThat(new Reference(10, "prepared", 1, tps(800), tps(950), "").requestsPerSecond()).isEqualTo(800);
    }

    @Test
    void aTransactionThatStandsForSeveralRequestsCountsThemAll() {
        assertThat(new Reference(10, "prepared", 2, tps(1_300), tps(1_400), "").requestsPerSecond()).isEqualTo(2_600);
    }

    @Test
    void aMissingRunLeavesTheOtherAndNoRunLeavesNoReference() {
        assertThat(new Reference(10, "prepared", 1, null, tps(700), "").requestsPerSecond()).isEqualTo(700);
        assertThat(new Reference(10, "prepared", 1, tps(0), tps(700), "").requestsPerSecond()).isEqualTo(700);
        assertThat(new Reference(10, "prepared", 1, null, null, "").requestsPerSecond()).isNull();
        assertThat(Reference.lower(null, null)).isNull();
    }

    @Test
    void theRatioIsTheApplicationOverTheReferenceOrNothing() {
        assertThat(Reference.ratio(150, 1_000.0)).isCloseTo(0.15, within(1e-9));
        assertThat(Reference.ratio(150, null)).isNull();
        assertThat(Reference.ratio(150, 0.0)).isNull();
    }
}
