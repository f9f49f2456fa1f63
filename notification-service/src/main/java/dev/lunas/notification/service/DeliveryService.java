package dev.lunas.notification.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.notification.client.DeliveryFailureException;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.Delivery;
import dev.lunas.notification.model.DeliveryStatus;
import dev.lunas.notification.metrics.NotificationMetrics;
import dev.lunas.notification.repository.DeliveryRepository;
import dev.lunas.notification.repository.DeliveryRepository.Created;
import dev.lunas.notification.repository.DeliveryRepository.Rescued;
import dev.lunas.notification.repository.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Sends deliveries under a lease. A claim is its own short transaction, committed before anything is
 * sent; the provider is called with no transaction open; the outcome is then written with an update that
 * only succeeds while this worker still owns the lease for this attempt (fencing). A worker that lost its
 * lease (it was too slow and the rescuer gave the row to someone else) changes nothing and says so.
 */
@ApplicationScoped
public class DeliveryService {

    private static final EventLog LOG = EventLog.of(DeliveryService.class, "delivery");
    private static final int RESCUE_BATCH = 500;

    private final Transactions transactions;
    private final DeliveryRepository deliveries;
    private final Channels channels;
    private final BackoffPolicy backoff;
    private final NotificationMetrics metrics;
    private final PaymentResultAlarm alarm;
    private final SentMarks sentMarks;
    private final Duration lease;

    /** What recording a failed attempt did: the row's new status (empty: lease lost) and any alert it raised. */
    private record Recorded(Optional<DeliveryStatus> status, Optional<Created> alert) {
    }

    public DeliveryService(Transactions transactions, DeliveryRepository deliveries, Channels channels,
                           BackoffPolicy backoff, NotificationMetrics metrics, PaymentResultAlarm alarm,
                           SentMarks sentMarks, NotificationConfig config) {
        this.transactions = transactions;
        this.deliveries = deliveries;
        this.channels = channels;
        this.backoff = backoff;
        this.metrics = metrics;
        this.alarm = alarm;
        this.sentMarks = sentMarks;
        this.lease = config.queue().lease();
    }

    /** Claims up to {@code limit} due deliveries of the channel for {@code workerId}. */
    public Uni<List<Delivery>> claim(Channel channel, int limit, String workerId) {
        return transactions.inStatement(client -> deliveries.claim(client, channel, limit, workerId, lease));
    }

    /** Sends one claimed delivery and records the outcome; never fails (a failure is an outcome). */
    public Uni<Void> deliver(Delivery delivery, String workerId) {
        ChannelBreaker breaker = channels.breaker(delivery.channel());
        Duration timeout = channels.timeout(delivery.channel());
        return Uni.createFrom().deferred(() -> channels.sender(delivery.channel()).send(delivery))
                .ifNoItem().after(timeout)
                .failWith(() -> DeliveryFailureException.retryable("no answer within " + timeout.toMillis() + " ms"))
                .onItemOrFailure().transformToUni((reference, failure) -> {
                    if (failure == null) {
                        breaker.recordSuccess();
                        return sent(delivery, workerId, reference);
                    }
                    DeliveryFailureException classified = DeliveryFailureException.of(failure);
                    if (classified.permanent()) {
                        breaker.recordSuccess();
                    } else {
                        breaker.recordFailure();
                    }
                    return failed(delivery, workerId, classified);
                })
                .onFailure().recoverWithUni(failure -> {
                    LOG.error(failure, "NOTIFICATION_UNRECORDED", delivery.aggregateId(),
                            "Outcome of delivery %d (%s %s, attempt %d) could not be written; the lease will expire "
                                    + "and the rescuer will retry it", delivery.id(), delivery.channel(),
                            delivery.template(), delivery.attempt());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> sent(Delivery delivery, String workerId, String reference) {
        return sentMarks.mark(delivery, workerId)
                .invoke(fenced -> {
                    if (fenced) {
                        metrics.attempt(delivery.channel(), "sent");
                        metrics.latency(delivery.channel(), Duration.between(delivery.eventCreatedAt(), Instant.now()));
                        LOG.info("NOTIFICATION_SENT", delivery.aggregateId(), "%s %s for event %s sent on attempt %d (%s)",
                                delivery.channel(), delivery.template(), delivery.eventId(), delivery.attempt(), reference);
                    } else {
                        metrics.attempt(delivery.channel(), "lease_lost");
                        LOG.warn("NOTIFICATION_LEASE_LOST", delivery.aggregateId(),
                                "%s %s for event %s was sent on attempt %d after this worker lost its lease: "
                                        + "it may be delivered twice", delivery.channel(), delivery.template(),
                                delivery.eventId(), delivery.attempt());
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Records a failed attempt. A payment result that goes DEAD (only order-service's definitive refusal can
     * do that: INTERNAL has no attempt limit) raises its alert in the same transaction.
     */
    private Uni<Void> failed(Delivery delivery, String workerId, DeliveryFailureException failure) {
        Duration wait = backoff.delayAfter(delivery.attemptInBudget(), channels.retryCap(delivery.channel()));
        return transactions.inTransaction(connection ->
                        deliveries.markFailed(connection, delivery, workerId, failure.permanent(), failure.getMessage(), wait)
                                .chain(status -> deadPaymentResult(delivery, status)
                                        ? alarm.raise(connection, delivery, failure.getMessage())
                                                .map(alert -> new Recorded(status, alert))
                                        : Uni.createFrom().item(new Recorded(status, Optional.empty()))))
                .invoke(recorded -> {
                    logFailure(delivery, failure, wait, recorded.status());
                    if (deadPaymentResult(delivery, recorded.status())) {
                        alarm.raised(delivery, failure.getMessage(), recorded.alert());
                    }
                })
                .replaceWithVoid();
    }

    private static boolean deadPaymentResult(Delivery delivery, Optional<DeliveryStatus> status) {
        return delivery.channel() == Channel.INTERNAL && status.filter(s -> s == DeliveryStatus.DEAD).isPresent();
    }

    private void logFailure(Delivery delivery, DeliveryFailureException failure, Duration wait, Optional<DeliveryStatus> status) {
        if (status.isEmpty()) {
            metrics.attempt(delivery.channel(), "lease_lost");
            LOG.warn("NOTIFICATION_LEASE_LOST", delivery.aggregateId(),
                    "%s %s attempt %d failed after this worker lost its lease; the new owner decides: %s",
                    delivery.channel(), delivery.template(), delivery.attempt(), failure.getMessage());
        } else if (status.get() == DeliveryStatus.DEAD) {
            metrics.attempt(delivery.channel(), "dead");
            LOG.error("NOTIFICATION_DEAD", delivery.aggregateId(),
                    "%s %s for event %s is DEAD after attempt %d (%s): %s", delivery.channel(), delivery.template(),
                    delivery.eventId(), delivery.attempt(), failure.permanent() ? "permanent" : "attempts exhausted",
                    failure.getMessage());
        } else {
            metrics.attempt(delivery.channel(), "retry");
            LOG.warn("NOTIFICATION_FAILED", delivery.aggregateId(),
                    "%s %s for event %s failed on attempt %d, retrying in %d ms: %s", delivery.channel(),
                    delivery.template(), delivery.eventId(), delivery.attempt(), wait.toMillis(), failure.getMessage());
        }
    }

    /** Returns deliveries whose worker died mid-send to the queue. Each may have been sent already. */
    public Uni<List<Rescued>> rescueExpiredLeases() {
        return transactions.inTransaction(connection -> deliveries.rescueExpired(connection, RESCUE_BATCH))
                .invoke(rescued -> rescued.forEach(row -> LOG.warn("DELIVERY_RESCUED", row.aggregateId(),
                        "Delivery %d (%s %s) left SENDING by %s after its lease expired; now %s: a duplicate is possible",
                        row.id(), row.channel(), row.template(), row.previousOwner(), row.status())));
    }

    /** When the next delivery of the channel is due, if any waits. */
    public Uni<Optional<Duration>> nextDue(Channel channel) {
        return transactions.read(connection -> deliveries.secondsUntilNextDue(connection, channel))
                .map(wait -> wait.map(seconds -> Duration.ofMillis(Math.max(0, (long) (seconds * 1000)))));
    }
}
