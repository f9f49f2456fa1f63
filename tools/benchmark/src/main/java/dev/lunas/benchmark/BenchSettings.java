package dev.lunas.benchmark;

import java.time.Duration;

/**
 * How long and how hard each part of {@code ./lunas bench} runs. {@link #standard()} takes a few minutes;
 * {@link #quick()} is a smoke run of the same steps whose figures are too short to quote.
 *
 * @param notificationRate  mails per second for the hand-off latency (G8: 50), at most half the checkout saturation
 * @param smtpLatency       how long the mail sink holds each mail before accepting it (docs/reliability.md G9: 20 ms)
 * @param sendConcurrency   deliveries notification-service sends at once per channel (G9: 16)
 * @param backlog           mails queued while notification-service is stopped, then drained (G9: 10,000)
 * @param warmup            the longest closed-loop warm-up before the checkout is measured, so the services' JIT
 *                          compilers have compiled the request path (on 2 cores C2 is still busy after minutes)
 * @param warmupRound       one warm-up round; the warm-up ends when two rounds in a row gain less than 5 % over the best
 * @param saturationClients closed-loop clients that find the most the system does; kept within the
 *                          order-service → payment-service bulkhead (20), beyond which checkouts degrade on purpose
 * @param quietTimeout      the longest wait for the outbox and delivery queue to empty between phases
 */
public record BenchSettings(String mode, int restarts, Duration pgbenchDuration, double notificationRate,
                            Duration notificationDuration, Duration smtpLatency, int sendConcurrency, int backlog,
                            Duration warmup, Duration warmupRound, int saturationClients, Duration saturation,
                            Duration openLoop, int flashQuota, int flashBuyers, int flashClients,
                            Duration webhookSaturation, Duration webhookOpenLoop, Duration quietTimeout) {

    public static BenchSettings standard() {
        return new BenchSettings("standard", 3, Duration.ofSeconds(15), 50, Duration.ofSeconds(30), Duration.ofMillis(20),
                16, 10_000, Duration.ofMinutes(8), Duration.ofSeconds(30), 16, Duration.ofSeconds(30), Duration.ofSeconds(60),
                2_000, 3_000, 32, Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofMinutes(3));
    }

    public static BenchSettings quick() {
        return new BenchSettings("quick", 1, Duration.ofSeconds(4), 50, Duration.ofSeconds(6), Duration.ofMillis(20),
                16, 1_000, Duration.ofSeconds(10), Duration.ofSeconds(5), 16, Duration.ofSeconds(5), Duration.ofSeconds(6),
                300, 450, 32, Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofMinutes(2));
    }
}
