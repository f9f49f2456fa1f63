package dev.lunas.notification.metrics;

import dev.lunas.common.metrics.Heartbeat;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.repository.OldestTransactionRepository.OldestTransaction;
import dev.lunas.notification.repository.QueueStatsRepository.QueueStats;
import dev.lunas.notification.service.Routing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The meters of this service. Exported names: {@code outbox_pending}, {@code outbox_retrying},
 * {@code outbox_failed}, {@code outbox_oldest_pending_age_seconds} (gauges refreshed by one scheduled
 * query, which also sets common's {@code metrics_refreshed_timestamp_seconds} and {@code database_up}),
 * {@code outbox_latency_seconds} (producer commit → handed to the provider), {@code worker_alive},
 * {@code notification_attempts_total{channel,outcome}}, {@code notification_skipped_total{channel,template}},
 * {@code outbox_relayed_total{source,outcome}}, {@code notification_breaker_open{channel}} and
 * {@code notification_payment_result_dead_total{event_type}}, and
 * {@code database_oldest_transaction_age_seconds{db_role}} (refreshed with the queue gauges: how long the oldest open
 * transaction of the database has held back its vacuum horizon, labelled with the role that holds it; one series,
 * {@code db_role=""} at 0 while no other session holds one). Every meter is registered at start with each of its
 * known tag values (channels, attempt outcomes, the routes' templates, the configured sources, the payment
 * results' event types), so alert rules see 0 before the first delivery.
 */
@Startup
@ApplicationScoped
public class NotificationMetrics {

    /** The results of a delivery attempt, as {@code notification_attempts_total} tags them. */
    private static final List<String> ATTEMPT_OUTCOMES = List.of("sent", "retry", "dead", "lease_lost");
    /** The results of relaying an outbox row, as {@code outbox_relayed_total} tags them. */
    private static final List<String> RELAY_OUTCOMES = List.of("sent", "dead");

    private final MeterRegistry registry;
    private final AtomicReference<QueueStats> stats = new AtomicReference<>(new QueueStats(0, 0, 0, 0));
    private final Heartbeat worker;
    private final MultiGauge oldestTransaction;

    public NotificationMetrics(MeterRegistry registry, NotificationConfig config) {
        this.registry = registry;
        this.worker = Heartbeat.register(registry, "worker.alive",
                "1 while the relay and delivery lanes keep cycling, 0 when they have stalled",
                config.workerAliveTimeout());
        Gauge.builder("outbox.pending", stats, s -> s.get().pending())
                .description("Events not yet attempted: PENDING outbox rows and PENDING deliveries").register(registry);
        Gauge.builder("outbox.retrying", stats, s -> s.get().retrying())
                .description("Deliveries waiting for their next attempt").register(registry);
        Gauge.builder("outbox.failed", stats, s -> s.get().failed())
                .description("DEAD deliveries and DEAD outbox rows, waiting for an operator").register(registry);
        Gauge.builder("outbox.oldest.pending.age", stats, s -> s.get().oldestPendingSeconds())
                .baseUnit("seconds")
                .description("Age of the oldest event not yet attempted; grows when the relay or a worker stops")
                .register(registry);
        this.oldestTransaction = MultiGauge.builder("database.oldest.transaction.age").baseUnit("seconds")
                .description("How long the oldest transaction holding a snapshot has been open, by the role holding it;"
                        + " while it lasts no row changed since can be vacuumed")
                .register(registry);
        oldestTransaction(Optional.empty());
        for (Channel channel : Channel.values()) {
            ATTEMPT_OUTCOMES.forEach(outcome -> attemptsCounter(channel, outcome));
            latencyTimer(channel);
            Routing.templates(channel).forEach(template -> skippedCounter(channel, template));
        }
        for (String source : config.sources()) {
            RELAY_OUTCOMES.forEach(outcome -> relayedCounter(source, outcome));
        }
        Routing.eventTypes(Channel.INTERNAL).forEach(this::paymentResultDeadCounter);
    }

    public void refreshed(QueueStats latest) {
        stats.set(latest);
    }

    /** The oldest transaction of the database other than the refresh's own, if any. */
    public void oldestTransaction(Optional<OldestTransaction> oldest) {
        oldestTransaction.register(List.of(oldest
                .map(transaction -> MultiGauge.Row.of(Tags.of("db_role", transaction.roleName()), transaction.ageSeconds()))
                .orElseGet(() -> MultiGauge.Row.of(Tags.of("db_role", ""), 0))), true);
    }

    public void workerBeat() {
        worker.beat();
    }

    public void attempt(Channel channel, String outcome) {
        attemptsCounter(channel, outcome).increment();
    }

    public void latency(Channel channel, Duration sinceCommit) {
        latencyTimer(channel).record(sinceCommit.isNegative() ? Duration.ZERO : sinceCommit);
    }

    public void skipped(Channel channel, String template) {
        skippedCounter(channel, template).increment();
    }

    public void relayed(String source, String outcome, int count) {
        relayedCounter(source, outcome).increment(count);
    }

    /** A payment result order-service refused for good: a paid order may expire unless a person acts. */
    public void paymentResultDead(String eventType) {
        paymentResultDeadCounter(eventType).increment();
    }

    public void breaker(Channel channel, Supplier<Boolean> open) {
        Gauge.builder("notification.breaker.open", open, o -> o.get() ? 1 : 0)
                .description("1 while the channel's circuit breaker stops claiming").tag("channel", channel.name())
                .strongReference(true)
                .register(registry);
    }

    // Each builder answers the meter already registered under the same name and tags.

    private Counter attemptsCounter(Channel channel, String outcome) {
        return Counter.builder("notification.attempts").description("Delivery attempts by result")
                .tag("channel", channel.name()).tag("outcome", outcome).register(registry);
    }

    private Timer latencyTimer(Channel channel) {
        return Timer.builder("outbox.latency").description("From the producer's commit to the provider accepting the message")
                .tag("channel", channel.name()).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofHours(3))
                .register(registry);
    }

    private Counter skippedCounter(Channel channel, String template) {
        return Counter.builder("notification.skipped").description("Deliveries not made because the channel is switched off")
                .tag("channel", channel.name()).tag("template", template).register(registry);
    }

    private Counter relayedCounter(String source, String outcome) {
        return Counter.builder("outbox.relayed").description("Outbox rows the relay finished, by result")
                .tag("source", source).tag("outcome", outcome).register(registry);
    }

    private Counter paymentResultDeadCounter(String eventType) {
        return Counter.builder("notification.payment.result.dead")
                .description("Payment results order-service refused for good (DEAD); each raised an ops alert")
                .tag("event_type", eventType).register(registry);
    }
}
