package dev.lunas.notification.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.Delivery;
import dev.lunas.notification.metrics.NotificationMetrics;
import dev.lunas.notification.service.RelayService.RelayResult;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one relay lane per source outbox and one delivery lane per channel in this pod. Lanes are woken by NOTIFY (through
 * {@link OutboxListener}), by the poll, by the relay when it made deliveries, and by timers when a retry
 * falls due or a breaker allows a probe. Each channel sends up to the queue's batch size at once, claiming
 * again as sends end; a slow send holds up neither its channel's other sends nor another channel. Shutdown
 * stops claiming first, then waits (bounded) for sends in flight.
 */
@ApplicationScoped
public class Dispatcher {

    private static final EventLog LOG = EventLog.of(Dispatcher.class, "dispatcher");
    /** Overdue rows another worker holds are looked at again after this, not in a tight loop. */
    private static final Duration MIN_RECHECK = Duration.ofMillis(50);
    private static final String UNDEFINED_TABLE = "42P01";

    private final RelayService relay;
    private final SourceTables sourceTables;
    private final DeliveryService deliveries;
    private final Channels channels;
    private final NotificationConfig config;
    private final String workerId;
    /** One relay lane per source outbox, so a NOTIFY from one schema claims from that table alone. */
    private final Map<String, Lane> relayLanes = new LinkedHashMap<>();
    private final Map<Channel, Lane> channelLanes = new EnumMap<>(Channel.class);
    /** Sends started and not yet ended, per channel: at most the queue's batch size each. */
    private final Map<Channel, AtomicInteger> inFlight = new EnumMap<>(Channel.class);
    private volatile boolean stopping;

    public Dispatcher(Vertx vertx, RelayService relay, SourceTables sourceTables, DeliveryService deliveries,
                      Channels channels, NotificationMetrics metrics, NotificationConfig config) {
        this.relay = relay;
        this.sourceTables = sourceTables;
        this.deliveries = deliveries;
        this.channels = channels;
        this.config = config;
        this.workerId = config.workerName() + ":" + UUID.randomUUID();
        for (String source : config.sources()) {
            relayLanes.put(source, new Lane("relay-" + source, vertx, () -> relayCycle(source), metrics::workerBeat));
        }
        for (Channel channel : Channel.values()) {
            channelLanes.put(channel, new Lane(channel.name(), vertx, () -> deliveryCycle(channel), metrics::workerBeat));
            inFlight.put(channel, new AtomicInteger());
        }
    }

    void start(@Observes StartupEvent started) {
        for (Channel channel : Channel.values()) {
            for (String template : Routing.templates(channel)) {
                Optional<String> off = channels.sender(channel).switchedOff(template);
                if (off.isPresent()) {
                    LOG.warn("CHANNEL_SWITCHED_OFF", null, "%s %s deliveries will be SKIPPED: %s", channel, template,
                            off.get());
                } else {
                    LOG.info("CHANNEL_ON", null, "%s %s deliveries are sent", channel, template);
                }
            }
        }
        LOG.info("WORKER_STARTED", null, "Delivery worker %s relaying %s every %s and on NOTIFY", workerId,
                config.sources(), config.pollInterval());
        wakeAll();
    }

    public void wakeRelay() {
        relayLanes.values().forEach(Lane::wake);
    }

    /** Wakes the relay of one source (a NOTIFY names the schema whose outbox committed); any other name wakes all. */
    public void wakeRelay(String source) {
        Lane lane = relayLanes.get(source);
        if (lane == null) {
            wakeRelay();
        } else {
            lane.wake();
        }
    }

    public void wake(Channel channel) {
        channelLanes.get(channel).wake();
    }

    public void wakeAll() {
        wakeRelay();
        channelLanes.values().forEach(Lane::wake);
    }

    void onWorkAvailable(@Observes WorkAvailable work) {
        if (work.relay()) {
            wakeRelay();
        }
        work.channels().forEach(this::wake);
    }

    /** Stops claiming, then gives sends in flight until the drain timeout; the rest is left to lease expiry. */
    void stop(@Observes ShutdownEvent shutdown) {
        stopping = true;
        relayLanes.values().forEach(Lane::stop);
        channelLanes.values().forEach(Lane::stop);
        long deadline = System.nanoTime() + config.queue().drainTimeout().toNanos();
        try {
            boolean drained = true;
            for (Lane lane : relayLanes.values()) {
                drained &= lane.awaitIdle(deadline);
            }
            for (Lane lane : channelLanes.values()) {
                drained &= lane.awaitIdle(deadline);
            }
            drained &= awaitSendsEnded(deadline);
            if (drained) {
                LOG.info("WORKER_STOPPED", null, "Delivery worker %s stopped with nothing in flight", workerId);
            } else {
                LOG.warn("WORKER_STOPPED", null, "Delivery worker %s stopped with sends still in flight after %s; "
                        + "their leases expire and the rescuer retries them", workerId, config.queue().drainTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Relays one batch of the source's outbox if its table exists; true when the batch was full. */
    private Uni<Boolean> relayCycle(String source) {
        if (stopping) {
            return Uni.createFrom().item(false);
        }
        return sourceTables.isPresent(source).chain(present -> present
                ? relayOne(source).map(result -> result.claimed() >= relay.batchSize())
                : Uni.createFrom().item(false));
    }

    private Uni<RelayResult> relayOne(String source) {
        return relay.relayBatch(source).onFailure().recoverWithItem(failure -> {
            if (failure instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState())) {
                sourceTables.forget(source);
            }
            LOG.warn("OUTBOX_RELAY_FAILED", null, "Relaying %s.outbox failed, trying again on the next wake-up: %s",
                    source, failure.getMessage());
            return new RelayResult(source, 0);
        });
    }

    /**
     * Fills the channel's free send slots. Sends are not awaited as a batch: each frees its slot when it ends, so
     * one slow send (a mail that outlives the SMTP timeout) holds up one slot, not the fifteen beside it. The lane
     * is woken again once half the slots are free, which keeps claims batched under a backlog.
     */
    private Uni<Boolean> deliveryCycle(Channel channel) {
        if (stopping) {
            return Uni.createFrom().item(false);
        }
        Lane lane = channelLanes.get(channel);
        int free = config.queue().batchSize() - inFlight.get(channel).get();
        if (free <= 0) {
            return Uni.createFrom().item(false);
        }
        ChannelBreaker breaker = channels.breaker(channel);
        int permits = breaker.permits(free);
        if (permits == 0) {
            Duration closed = breaker.closedFor();
            if (!closed.isZero()) {
                lane.wakeIn(closed);
            }
            return Uni.createFrom().item(false);
        }
        return deliveries.claim(channel, permits, workerId).chain(claimed -> {
            if (claimed.isEmpty() && breaker.state() == ChannelBreaker.State.HALF_OPEN) {
                breaker.probeUnused();
            }
            claimed.forEach(delivery -> startSend(channel, lane, delivery));
            return claimed.size() < permits
                    ? scheduleNextDue(channel, lane).replaceWith(false)
                    : Uni.createFrom().item(true);
        });
    }

    private void startSend(Channel channel, Lane lane, Delivery delivery) {
        AtomicInteger sending = inFlight.get(channel);
        sending.incrementAndGet();
        // deliver() never fails: every outcome, even an unrecordable one, ends in an item
        deliveries.deliver(delivery, workerId).subscribe().with(ignored -> sendEnded(sending, lane),
                failure -> sendEnded(sending, lane));
    }

    private void sendEnded(AtomicInteger sending, Lane lane) {
        int left = sending.decrementAndGet();
        if (left <= config.queue().batchSize() / 2) {
            lane.wake();
        }
        if (left == 0) {
            synchronized (inFlight) {
                inFlight.notifyAll();
            }
        }
    }

    /** Waits (blocking: shutdown only) until no send is in flight on any channel or the deadline passes. */
    private boolean awaitSendsEnded(long deadlineNanos) throws InterruptedException {
        synchronized (inFlight) {
            while (inFlight.values().stream().anyMatch(sending -> sending.get() > 0)) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                inFlight.wait(Math.max(1, remaining / 1_000_000));
            }
            return true;
        }
    }

    private Uni<Void> scheduleNextDue(Channel channel, Lane lane) {
        return deliveries.nextDue(channel)
                .invoke(due -> due.ifPresent(wait -> lane.wakeIn(wait.compareTo(MIN_RECHECK) < 0 ? MIN_RECHECK : wait)))
                .replaceWithVoid();
    }
}
