package dev.lunas.notification.service;

import dev.lunas.notification.client.ChannelClient;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.metrics.NotificationMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Each channel's sender, limits, backoff cap and breaker. */
@ApplicationScoped
public class Channels {

    private final Map<Channel, ChannelClient> senders = new EnumMap<>(Channel.class);
    private final Map<Channel, NotificationConfig.ChannelLimits> limits = new EnumMap<>(Channel.class);
    private final Map<Channel, ChannelBreaker> breakers = new EnumMap<>(Channel.class);
    private final Map<Channel, Duration> retryCaps = new EnumMap<>(Channel.class);

    public Channels(Instance<ChannelClient> all, NotificationConfig config, NotificationMetrics metrics) {
        for (ChannelClient sender : all) {
            senders.put(sender.channel(), sender);
        }
        limits.put(Channel.EMAIL, config.email());
        limits.put(Channel.WHATSAPP, config.whatsapp());
        limits.put(Channel.INTERNAL, config.internal());
        retryCaps.put(Channel.EMAIL, config.retry().cap());
        retryCaps.put(Channel.WHATSAPP, config.retry().cap());
        retryCaps.put(Channel.INTERNAL, config.internal().retryCap());
        for (Channel channel : Channel.values()) {
            if (!senders.containsKey(channel)) {
                throw new IllegalStateException("No sender for channel " + channel);
            }
            NotificationConfig.Breaker breaker = limits.get(channel).breaker();
            ChannelBreaker channelBreaker = new ChannelBreaker(breaker.window(), breaker.failureRatio(), breaker.delay(),
                    System::nanoTime);
            breakers.put(channel, channelBreaker);
            metrics.breaker(channel, () -> channelBreaker.state() == ChannelBreaker.State.OPEN);
        }
    }

    public ChannelClient sender(Channel channel) {
        return senders.get(channel);
    }

    public ChannelBreaker breaker(Channel channel) {
        return breakers.get(channel);
    }

    /** Attempts after which a delivery goes DEAD; empty for a channel that retries until it is answered (INTERNAL). */
    public Optional<Integer> maxAttempts(Channel channel) {
        return limits.get(channel) instanceof NotificationConfig.AttemptLimited limited
                ? Optional.of(limited.maxAttempts())
                : Optional.empty();
    }

    /** The longest wait between two attempts on the channel. */
    public Duration retryCap(Channel channel) {
        return retryCaps.get(channel);
    }

    public Duration timeout(Channel channel) {
        return limits.get(channel).timeout();
    }
}
