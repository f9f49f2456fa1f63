package dev.lunas.notification.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.http.Correlation;
import dev.lunas.common.logging.EventLog;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.DeliveryStatus;
import dev.lunas.notification.repository.AuditRepository;
import dev.lunas.notification.repository.DeliveryRepository;
import dev.lunas.notification.repository.DeliveryRepository.Filter;
import dev.lunas.notification.repository.DeliveryRepository.Summary;
import dev.lunas.notification.repository.SourceOutboxRepository;
import dev.lunas.notification.repository.SourceOutboxRepository.DeadEvent;
import dev.lunas.notification.repository.Transactions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The operator's view of the dead letters: listing, and requeueing DEAD deliveries and DEAD outbox rows.
 * Every requeue is one transaction with its audit row.
 */
@ApplicationScoped
public class AdminService {

    private static final EventLog LOG = EventLog.of(AdminService.class, "admin");
    /** A bulk requeue takes at most this many rows per call, so one request cannot flood the providers. */
    public static final int BULK_LIMIT = 1000;

    private final Transactions transactions;
    private final DeliveryRepository deliveries;
    private final SourceOutboxRepository outboxes;
    private final SourceTables sourceTables;
    private final AuditRepository audit;
    private final Channels channels;
    private final ObjectMapper json;
    private final Event<WorkAvailable> workAvailable;

    public AdminService(Transactions transactions, DeliveryRepository deliveries, SourceOutboxRepository outboxes,
                        SourceTables sourceTables, AuditRepository audit, Channels channels, ObjectMapper json,
                        Event<WorkAvailable> workAvailable) {
        this.transactions = transactions;
        this.deliveries = deliveries;
        this.outboxes = outboxes;
        this.sourceTables = sourceTables;
        this.audit = audit;
        this.channels = channels;
        this.json = json;
        this.workAvailable = workAvailable;
    }

    public Uni<List<Summary>> list(Filter filter, Long beforeId, int limit) {
        return transactions.read(connection -> deliveries.list(connection, filter, beforeId, limit));
    }

    public Uni<Summary> find(long id) {
        return transactions.read(connection -> deliveries.find(connection, id))
                .map(found -> found.orElseThrow(() -> notFound(id)));
    }

    /** DEAD → RETRY for one delivery; 404 when it does not exist, 409 when it is not DEAD. */
    public Uni<Summary> requeue(long id, String actor) {
        String correlationId = Correlation.currentId();
        return transactions.inTransaction(connection -> deliveries.find(connection, id).chain(found -> {
                    Summary before = found.orElseThrow(() -> notFound(id));
                    if (before.status() != DeliveryStatus.DEAD) {
                        throw ProblemException.conflict("delivery-not-dead",
                                "Delivery " + id + " is " + before.status() + "; only DEAD deliveries can be requeued");
                    }
                    return deliveries.requeueDead(connection, id, new Filter(null, null, null, null), maxAttempts(),
                                    1, actor)
                            .call(ids -> audit.record(connection, actor, "DELIVERY_REQUEUED", "delivery:" + id,
                                    detail(Map.of("attempts", before.attempts(),
                                            "lastError", String.valueOf(before.lastError()))), correlationId))
                            .chain(ids -> deliveries.find(connection, id)).map(after -> after.orElseThrow());
                }))
                .invoke(after -> {
                    LOG.info("DELIVERY_REQUEUED", after.aggregateId(), "Delivery %d (%s %s) requeued by %s", id,
                            after.channel(), after.template(), actor);
                    workAvailable.fire(WorkAvailable.everywhere());
                });
    }

    /** Requeues up to {@link #BULK_LIMIT} DEAD deliveries matching the filter; returns how many. */
    public Uni<Integer> requeueAll(Filter filter, String actor) {
        String correlationId = Correlation.currentId();
        return transactions.inTransaction(connection ->
                        deliveries.requeueDead(connection, null, filter, maxAttempts(), BULK_LIMIT, actor)
                                .call(ids -> ids.isEmpty() ? Uni.createFrom().voidItem()
                                        : audit.record(connection, actor, "DELIVERIES_REQUEUED", "delivery:*",
                                        detail(Map.of("filter", filterDetail(filter), "ids", ids)), correlationId)))
                .map(ids -> {
                    LOG.info("DELIVERIES_REQUEUED", null, "%d DEAD deliveries requeued by %s", ids.size(), actor);
                    if (!ids.isEmpty()) {
                        workAvailable.fire(WorkAvailable.everywhere());
                    }
                    return ids.size();
                });
    }

    /** DEAD rows of every source outbox table that exists (or of one source), newest first. */
    public Uni<List<DeadEvent>> deadEvents(String source, int limit) {
        return sourcesFor(source).chain(sources -> Multi.createFrom().iterable(sources)
                .onItem().transformToUniAndConcatenate(s -> transactions.read(c -> outboxes.listDead(c, s, limit)))
                .collect().asList()
                .map(lists -> lists.stream().flatMap(List::stream).limit(limit).toList()));
    }

    /** DEAD → PENDING for one outbox row, so the relay tries it again (e.g. after a new event type shipped). */
    public Uni<DeadEvent> requeueEvent(String source, UUID eventId, String actor) {
        if (!outboxes.isSource(source)) {
            throw ProblemException.notFound("unknown-source", "No outbox source named '" + source + "'");
        }
        return requeueEvents(source, eventId, null, 1, actor).map(requeued -> {
            if (requeued.isEmpty()) {
                throw ProblemException.notFound("dead-event-not-found",
                        "No DEAD event " + eventId + " in " + outboxes.table(source));
            }
            return requeued.get(0);
        });
    }

    /** Requeues up to {@link #BULK_LIMIT} DEAD outbox rows per source (or of one source); returns them. */
    public Uni<List<DeadEvent>> requeueEvents(String source, String eventType, String actor) {
        return sourcesFor(source).chain(sources -> Multi.createFrom().iterable(sources)
                .onItem().transformToUniAndConcatenate(s -> requeueEvents(s, null, eventType, BULK_LIMIT, actor))
                .collect().asList()
                .map(lists -> lists.stream().flatMap(List::stream).toList()));
    }

    private Uni<List<DeadEvent>> requeueEvents(String source, UUID eventId, String eventType, int limit, String actor) {
        String correlationId = Correlation.currentId();
        return transactions.inTransaction(connection ->
                        outboxes.requeueDead(connection, source, eventId, eventType, limit)
                                .call(rows -> rows.isEmpty() ? Uni.createFrom().voidItem()
                                        : audit.record(connection, actor, "OUTBOX_EVENTS_REQUEUED",
                                        outboxes.table(source), detail(Map.of("events", rows.stream()
                                                .map(row -> Map.of("eventId", row.eventId().toString(),
                                                        "eventType", row.eventType(),
                                                        "lastError", String.valueOf(row.lastError())))
                                                .toList())), correlationId)))
                .invoke(rows -> {
                    rows.forEach(row -> LOG.info("OUTBOX_EVENT_REQUEUED", row.aggregateId(),
                            "Outbox event %s (%s) in %s requeued by %s", row.eventId(), row.eventType(),
                            outboxes.table(source), actor));
                    if (!rows.isEmpty()) {
                        workAvailable.fire(WorkAvailable.everywhere());
                    }
                });
    }

    private Uni<List<String>> sourcesFor(String source) {
        if (source == null) {
            return sourceTables.present();
        }
        if (!outboxes.isSource(source)) {
            return Uni.createFrom().failure(
                    ProblemException.notFound("unknown-source", "No outbox source named '" + source + "'"));
        }
        return sourceTables.present().map(present -> present.contains(source) ? List.of(source) : List.of());
    }

    /** Each channel's fresh budget; null (no limit) for INTERNAL, so a requeued payment result retries until answered. */
    private Map<Channel, Integer> maxAttempts() {
        Map<Channel, Integer> max = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            max.put(channel, channels.maxAttempts(channel).orElse(null));
        }
        return max;
    }

    private static Map<String, String> filterDetail(Filter filter) {
        Map<String, String> detail = new LinkedHashMap<>();
        if (filter.channel() != null) {
            detail.put("channel", filter.channel().name());
        }
        if (filter.eventType() != null) {
            detail.put("eventType", filter.eventType());
        }
        if (filter.template() != null) {
            detail.put("template", filter.template());
        }
        return detail;
    }

    private String detail(Map<String, ?> detail) {
        try {
            return json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Audit detail cannot be serialised", e);
        }
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("delivery-not-found", "No delivery " + id);
    }
}
