package dev.lunas.notification.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.logging.EventLog;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.DeliveryStatus;
import dev.lunas.notification.model.SourceEvent;
import dev.lunas.notification.metrics.NotificationMetrics;
import dev.lunas.notification.repository.DeliveryRepository;
import dev.lunas.notification.repository.DeliveryRepository.Created;
import dev.lunas.notification.repository.DeliveryRepository.Planned;
import dev.lunas.notification.repository.SourceOutboxRepository;
import dev.lunas.notification.repository.SourceOutboxRepository.Outcome;
import dev.lunas.notification.repository.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The relay: moves events from a producer's outbox into the delivery queue. One transaction claims a
 * batch of PENDING rows (SKIP LOCKED, so relays on several pods share the work), creates their deliveries
 * (a unique key per event, channel and template makes a second relay of the same event a no-op) and marks
 * the rows SENT, or DEAD when the event cannot be routed. Nothing is sent here.
 */
@ApplicationScoped
public class RelayService {

    private static final EventLog LOG = EventLog.of(RelayService.class, "relay");

    private final Transactions transactions;
    private final SourceOutboxRepository outboxes;
    private final DeliveryRepository deliveries;
    private final Channels channels;
    private final ObjectMapper json;
    private final NotificationMetrics metrics;
    private final int batchSize;
    private final Event<WorkAvailable> workAvailable;

    /** What one batch did: how many rows it claimed (a full batch means more may be waiting). */
    public record RelayResult(String source, int claimed) {
    }

    private record Plan(List<Planned> deliveries, List<Outcome> outcomes) {
    }

    public RelayService(Transactions transactions, SourceOutboxRepository outboxes, DeliveryRepository deliveries,
                        Channels channels, ObjectMapper json, NotificationMetrics metrics, NotificationConfig config,
                        Event<WorkAvailable> workAvailable) {
        this.transactions = transactions;
        this.outboxes = outboxes;
        this.deliveries = deliveries;
        this.channels = channels;
        this.json = json;
        this.metrics = metrics;
        this.batchSize = config.relay().batchSize();
        this.workAvailable = workAvailable;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Relays one batch of the source's PENDING rows. */
    public Uni<RelayResult> relayBatch(String source) {
        return transactions.inTransaction(connection -> outboxes.claimPending(connection, source, batchSize)
                        .chain(events -> {
                            Plan plan = plan(events);
                            return deliveries.createFromOutbox(connection, source, outboxes.table(source), plan.deliveries())
                                    .call(() -> outboxes.markRelayed(connection, source, plan.outcomes()))
                                    .map(created -> new Batch(events, plan, created));
                        }))
                .map(batch -> afterCommit(source, batch));
    }

    private Plan plan(List<SourceEvent> events) {
        List<Planned> planned = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (SourceEvent event : events) {
            Optional<Routing.EventRoute> route = Routing.of(event.eventType());
            Optional<String> problem = route.isEmpty()
                    ? Optional.of("unknown event type '" + event.eventType() + "'")
                    : unreadable(event, route.get().payloadType());
            if (problem.isPresent()) {
                outcomes.add(new Outcome(event.outboxId(), true, problem.get()));
                continue;
            }
            outcomes.add(new Outcome(event.outboxId(), false, null));
            for (Routing.Route r : route.get().routes()) {
                Optional<String> off = channels.sender(r.channel()).switchedOff(r.template());
                planned.add(new Planned(event.outboxId(), r.channel(), r.template(),
                        off.isPresent() ? DeliveryStatus.SKIPPED : DeliveryStatus.PENDING,
                        channels.maxAttempts(r.channel()).orElse(null), off.orElse(null)));
            }
        }
        return new Plan(planned, outcomes);
    }

    /** Why the payload cannot be read as the event's record; names the field, never its value. */
    private Optional<String> unreadable(SourceEvent event, Class<?> payloadType) {
        try {
            if (json.readValue(event.payload(), payloadType) == null) {
                return Optional.of("payload is empty");
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            String where = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                    ? " (field '" + mapping.getPath().stream()
                            .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                            .collect(Collectors.joining(".")) + "' has the wrong type or format)"
                    : "";
            return Optional.of("payload is not a readable " + payloadType.getSimpleName() + where);
        }
    }

    /** Logs and counts only what was committed. */
    private RelayResult afterCommit(String source, Batch batch) {
        Set<Channel> withWork = EnumSet.noneOf(Channel.class);
        for (Created delivery : batch.created()) {
            if (delivery.status() == DeliveryStatus.PENDING) {
                withWork.add(delivery.channel());
            } else {
                metrics.skipped(delivery.channel(), delivery.template());
                LOG.info("NOTIFICATION_SKIPPED", delivery.aggregateId(), "%s %s skipped: channel switched off",
                        delivery.channel(), delivery.template());
            }
        }
        int dead = 0;
        for (int i = 0; i < batch.events().size(); i++) {
            SourceEvent event = batch.events().get(i);
            Outcome outcome = batch.plan().outcomes().get(i);
            if (outcome.dead()) {
                dead++;
                LOG.error("OUTBOX_DEAD", event.aggregateId(), "Outbox event %s (%s) from %s cannot be relayed: %s",
                        event.eventId(), event.eventType(), source, outcome.error());
            } else {
                LOG.info("OUTBOX_RELAYED", event.aggregateId(), "Outbox event %s (%s) from %s relayed",
                        event.eventId(), event.eventType(), source);
            }
        }
        metrics.relayed(source, "sent", batch.events().size() - dead);
        if (dead > 0) {
            metrics.relayed(source, "dead", dead);
        }
        if (!withWork.isEmpty()) {
            workAvailable.fire(WorkAvailable.deliveries(withWork));
        }
        return new RelayResult(source, batch.events().size());
    }

    private record Batch(List<SourceEvent> events, Plan plan, List<Created> created) {
    }
}
