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
        int doublings = Math.min(Math.max(attempt, 1) - 1, 40);
        long millis = baseMillis;
        for (int i = 0; i < doublings && millis < capMillis; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, capMillis));
    }

    public Duration delayAfter(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
