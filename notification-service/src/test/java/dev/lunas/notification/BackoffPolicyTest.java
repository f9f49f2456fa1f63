package dev.lunas.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.service.BackoffPolicy;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

    private final BackoffPolicy defaults = new BackoffPolicy(config(Duration.ofSeconds(10), Duration.ofMinutes(30)));

    @Test
    void theCeilingDoublesUpToTheCap() {
        assertThat(defaults.ceiling(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.ceiling(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.ceiling(8)).isEqualTo(Duration.ofSeconds(1280));
        assertThat(defaults.ceiling(9)).isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.ceiling(500)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void everyDelayLiesBetweenHalfAndAllOfTheCeiling() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            for (int draw = 0; draw < 200; draw++) {
                assertThat(defaults.delayAfter(attempt))
                        .isBetween(defaults.ceiling(attempt).dividedBy(2), defaults.ceiling(attempt));
            }
        }
    }

    @Test
    void twelveAttemptsRetryForLongerThanTheSeedPlanEvenWithUnluckyJitter() {
        Duration shortest = Duration.ZERO;
        for (int attempt = 1; attempt < 12; attempt++) {
            shortest = shortest.plus(defaults.ceiling(attempt).dividedBy(2));
        }
        // the seed plan's 1 m + 5 m + 15 m + 30 m is the floor
        assertThat(shortest).isGreaterThanOrEqualTo(Duration.ofMinutes(51));
        assertThat(shortest).isGreaterThanOrEqualTo(Duration.ofMinutes(66));
    }

    @Test
    void defect4_paymentResultsWaitAtMostTheirOwnCapHoweverManyAttemptsFailed() {
        Duration cap = Duration.ofMinutes(5);
        assertThat(defaults.ceiling(5, cap)).isEqualTo(Duration.ofSeconds(160));
        assertThat(defaults.ceiling(6, cap)).isEqualTo(cap);
        // no attempt limit: the thousandth attempt still comes within the cap
        for (int attempt : new int[] {6, 13, 1_000, Integer.MAX_VALUE}) {
            assertThat(defaults.delayAfter(attempt, cap)).isBetween(cap.dividedBy(2), cap);
        }
        assertThat(defaults.ceiling(3, Duration.ofSeconds(5))).as("a cap below the base").isEqualTo(Duration.ofSeconds(5));
    }

    static NotificationConfig config(Duration base, Duration cap) {
        NotificationConfig.Retry retry = (NotificationConfig.Retry) Proxy.newProxyInstance(
                BackoffPolicyTest.class.getClassLoader(), new Class<?>[] {NotificationConfig.Retry.class},
                (proxy, method, args) -> method.getName().equals("base") ? base : cap);
        return (NotificationConfig) Proxy.newProxyInstance(BackoffPolicyTest.class.getClassLoader(),
                new Class<?>[] {NotificationConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("retry")) {
                        return retry;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
