package dev.lunas.systemtest.faults;

import dev.lunas.systemtest.harness.HttpAnswer;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Notifications a scenario posts to payment-service's webhook itself (copies, replays, forgeries), retried as
 * Midtrans retries: a 5xx or no answer is tried again, at most five times; minutes are read as seconds.
 */
final class MidtransWebhook {

    /** How one notification went: the first answer (null: none) and the last, and how long the first took. */
    record Delivery(Integer firstStatus, Integer finalStatus, int attempts, Duration firstLatency) {
        boolean accepted() {
            return finalStatus != null && finalStatus == 200;
        }
    }

    private static final int MAX_RETRIES = 5;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private MidtransWebhook() {
    }

    static Delivery deliver(SystemUnderTest system, String body) {
        Integer first = null;
        Integer last = null;
        Duration firstLatency = null;
        int attempts = 0;
        while (attempts <= MAX_RETRIES) {
            attempts++;
            long started = System.nanoTime();
            Integer status;
            try {
                HttpAnswer answer = system.notifyPaymentService(body);
                status = answer.status();
            } catch (UncheckedIOException e) {
                status = null;
            }
            if (attempts == 1) {
                first = status;
                firstLatency = Duration.ofNanos(System.nanoTime() - started);
            }
            last = status;
            if (status != null && status < 500) {
                break;
            }
            ScenarioRun.sleep(RETRY_PAUSE);
        }
        return new Delivery(first, last, attempts, firstLatency);
    }

    /** One attempt, no retry: for forgeries, whose answer is the point. */
    static int once(SystemUnderTest system, String body) {
        return system.notifyPaymentService(body).status();
    }
}
