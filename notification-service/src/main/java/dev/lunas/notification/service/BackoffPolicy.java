package dev.lunas.notification.service;

import dev.lunas.notification.config.NotificationConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with equal jitter: after the n-th failed attempt the next one waits between half
 * and all of {@code min(cap, base * 2^(n-1))}. Half is fixed so an unlucky draw cannot burn the retry
 * budget in a short outage; the other half is random so messages that failed together do not retry in
 * lockstep.
 */
@ApplicationScoped
public class BackoffPolicy {

    private final long baseMillis;
    private final long capMillis;

    public BackoffPolicy(NotificationConfig config) {
        this.baseMillis = config.retry().base().toMillis();
        this.capMillis = config.retry().cap().toMillis();
    }

    /** The upper bound of the wait after the given attempt (from 1). */
    public Duration ceiling(int attempt) {
        return ceiling(attempt, capMillis);
    }

    /** The same under another cap (a channel's own, see {@code Channels.retryCap}). */
    public Duration ceiling(int attempt, Duration cap) {
        return ceiling(attempt, cap.toMillis());
    }

    public Duration delayAfter(int attempt) {
        return delayAfter(attempt, Duration.ofMillis(capMillis));
    }

    /** The wait after the given attempt under the cap; the attempt may grow without bound (INTERNAL). */
    public Duration delayAfter(int attempt, Duration cap) {
        long ceiling = ceiling(attempt, cap).toMillis();
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    private Duration ceiling(int attempt, long cap) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 40);
        long millis = Math.min(baseMillis, cap);
        for (int i = 0; i < doublings && millis < cap; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, cap));
    }
}
