package dev.lunas.systemtest;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * How long the scenarios wait for the system to get somewhere. Everything here crosses processes, a database
 * and retry schedules on two shared cores, so the bound is generous; the poll is short, so a passing wait
 * costs only the time the system really needs.
 */
final class Eventually {

    private Eventually() {
    }

    static ConditionFactory within(Duration bound, String what) {
        return Awaitility.await(what).atMost(bound).pollInterval(Duration.ofMillis(200)).pollDelay(Duration.ZERO);
    }

    static ConditionFactory soon(String what) {
        return within(Duration.ofSeconds(60), what);
    }
}
