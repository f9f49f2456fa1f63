package dev.lunas.notification.repository;

import static dev.lunas.common.sql.SqlTime.seconds;
import static dev.lunas.notification.repository.Sql.bounded;
import static dev.lunas.notification.repository.Sql.tuple;

import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.Delivery;
import dev.lunas.notification.model.DeliveryStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** SQL on {@code notifications.delivery}. Every update after a claim is fenced on the lease owner and attempt. */
@ApplicationScoped
public class DeliveryRepository {

    private static final String CLAIMED_COLUMNS = "d.id, d.event_id, d.source, d.event_type, d.aggregate_type, "
            + "d.aggregate_id, d.channel, d.template, d.payload::text AS payload, d.event_created_at, d.attempts, "
            + "d.retry_from, d.max_attempts";

    private static final String SUMMARY_COLUMNS = "id, event_id, source, event_type, aggregate_id, channel, template, "
            + "status, attempts, max_attempts, last_error, errors::text AS errors, created_at, available_at, finished_at";

    /** The attempt just made was the last of the budget; never true without a limit (max_attempts NULL). */
    private static final String BUDGET_SPENT = "(max_attempts IS NOT NULL AND attempts - retry_from >= max_attempts)";
    private static final String BUDGET_SPENT_D =
            "(d.max_attempts IS NOT NULL AND d.attempts - d.retry_from >= d.max_attempts)";

    private static final String FENCE = " WHERE id = $1 AND status = 'SENDING' AND locked_by = $2 AND attempts = $3";

    /**
     * A delivery the relay wants to exist: one per (event, channel, template). {@code maxAttempts} is null
     * for a channel without an attempt limit (INTERNAL).
     */
    public record Planned(long outboxId, Channel channel, String template, DeliveryStatus status, Integer maxAttempts,
                          String note) {
    }

    /** A delivery this service makes itself rather than from an outbox row (an alert about a dead payment result). */
    public record Raised(UUID eventId, String source, String eventType, String aggregateType, String aggregateId,
                         Channel channel, String template, String payload, DeliveryStatus status, Integer maxAttempts,
                         String note) {
    }

    /** A delivery the relay actually created (not one that already existed). */
    public record Created(Channel channel, String template, DeliveryStatus status, String aggregateId) {
    }

    /** A row taken back from a worker whose lease ran out: it may or may not have been sent. */
    public record Rescued(long id, String aggregateId, Channel channel, String template, String previousOwner,
                          DeliveryStatus status) {
    }

    /** What the admin API shows; contact data and bodies are deliberately not part of it. */
    public record Summary(long id, UUID eventId, String source, String eventType, String aggregateId,
                          Channel channel, String template, DeliveryStatus status, int attempts, Integer maxAttempts,
                          String lastError, String errors, Instant createdAt, Instant availableAt,
                          Instant finishedAt) {
    }

    /** Optional narrowing of a listing or a bulk requeue. */
    public record Filter(DeliveryStatus status, Channel channel, String eventType, String template) {
    }

    /**
     * Creates the planned deliveries from the claimed outbox rows of {@code outboxTable}, copying payload
     * and commit time in SQL; an existing (event, channel, template) is left alone.
     */
    public Uni<List<Created>> createFromOutbox(SqlConnection connection, String source, String outboxTable,
                                               List<Planned> planned) {
        if (planned.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String sql = "INSERT INTO notifications.delivery (event_id, source, event_type, aggregate_type, aggregate_id, "
                + "channel, template, payload, event_created_at, status, max_attempts, last_error, finished_at) "
                + "SELECT o.event_id, $1, o.event_type, o.aggregate_type, o.aggregate_id, p.channel, p.template, "
                + "o.payload, o.created_at, p.status, p.max_attempts, p.note, "
                + "CASE WHEN p.status = 'SKIPPED' THEN now() END "
                + "FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[]) "
                + "AS p(outbox_id, channel, template, status, max_attempts, note) "
                + "JOIN " + outboxTable + " o ON o.id = p.outbox_id "
                + "ON CONFLICT (event_id, channel, template) DO NOTHING "
                + "RETURNING channel, template, status, aggregate_id";
        int n = planned.size();
        Long[] ids = new Long[n];
        String[] channels = new String[n];
        String[] templates = new String[n];
        String[] statuses = new String[n];
        Integer[] maxAttempts = new Integer[n];
        String[] notes = new String[n];
        for (int i = 0; i < n; i++) {
            Planned p = planned.get(i);
            ids[i] = p.outboxId();
            channels[i] = p.channel().name();
            templates[i] = p.template();
            statuses[i] = p.status().name();
            maxAttempts[i] = p.maxAttempts();
            notes[i] = p.note();
        }
        return connection.preparedQuery(sql)
                .execute(tuple(source, ids, channels, templates, statuses, maxAttempts, notes))
                .map(rows -> map(rows, row -> new Created(Channel.valueOf(row.getString("channel")),
                        row.getString("template"), DeliveryStatus.valueOf(row.getString("status")),
                        row.getString("aggregate_id"))));
    }

    /** Creates one delivery of this service's own, unless one with its key exists; empty then. */
    public Uni<Optional<Created>> create(SqlConnection connection, Raised raised) {
        String sql = "INSERT INTO notifications.delivery (event_id, source, event_type, aggregate_type, aggregate_id, "
                + "channel, template, payload, event_created_at, status, max_attempts, last_error, finished_at) "
                // text first: a String bound to a jsonb parameter would be stored as one JSON string
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, now(), $9, $10, $11, "
                + "CASE WHEN $9::text = 'SKIPPED' THEN now() END) "
                + "ON CONFLICT (event_id, channel, template) DO NOTHING "
                + "RETURNING channel, template, status, aggregate_id";
        return connection.preparedQuery(sql)
                .execute(tuple(raised.eventId(), raised.source(), raised.eventType(), raised.aggregateType(),
                        raised.aggregateId(), raised.channel().name(), raised.template(), raised.payload(),
                        raised.status().name(), raised.maxAttempts(), raised.note()))
                .map(rows -> first(rows).map(row -> new Created(Channel.valueOf(row.getString("channel")),
                        row.getString("template"), DeliveryStatus.valueOf(row.getString("status")),
                        row.getString("aggregate_id"))));
    }

    /** Takes up to {@code limit} due deliveries of a channel for this worker, with a lease on the database clock. */
    public Uni<List<Delivery>> claim(SqlClient client, Channel channel, int limit, String workerId, Duration lease) {
        String sql = "WITH due AS (SELECT id FROM notifications.delivery "
                + "WHERE channel = $1 AND status IN ('PENDING', 'RETRY') AND available_at <= now() "
                + "ORDER BY available_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) "
                + "UPDATE notifications.delivery d SET status = 'SENDING', attempts = d.attempts + 1, "
                + "locked_by = $3, locked_until = now() + make_interval(secs => $4) "
                + "FROM due WHERE d.id = due.id RETURNING " + CLAIMED_COLUMNS;
        return client.preparedQuery(sql)
                .execute(tuple(channel.name(), limit, workerId, seconds(lease)))
                .map(rows -> map(rows, DeliveryRepository::toDelivery));
    }

    /**
     * Marks SENT those of the deliveries this worker still holds the lease on, in one statement; answers the ids
     * it marked. A delivery missing from the answer lost its lease (rescued, requeued) while it was being sent.
     */
    public Uni<Set<Long>> markSent(SqlClient client, List<Delivery> sent, String workerId) {
        String sql = "UPDATE notifications.delivery d SET status = 'SENT', finished_at = now(), locked_by = NULL, "
                + "locked_until = NULL, last_error = NULL "
                + "FROM unnest($1::bigint[], $2::int[]) AS s(id, attempt) "
                + "WHERE d.id = s.id AND d.status = 'SENDING' AND d.locked_by = $3 AND d.attempts = s.attempt "
                + "RETURNING d.id";
        Long[] ids = new Long[sent.size()];
        Integer[] attempts = new Integer[sent.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = sent.get(i).id();
            attempts[i] = sent.get(i).attempt();
        }
        return client.preparedQuery(sql).execute(tuple(ids, attempts, workerId))
                .map(rows -> {
                    Set<Long> marked = new HashSet<>();
                    rows.forEach(row -> marked.add(row.getLong("id")));
                    return marked;
                });
    }

    /**
     * Records a failed attempt: DEAD when permanent or the budget is spent (never for a row without a limit),
     * else RETRY after the backoff. Empty when the lease was lost.
     */
    public Uni<Optional<DeliveryStatus>> markFailed(SqlConnection connection, Delivery delivery, String workerId,
                                                    boolean permanent, String error, Duration backoff) {
        String sql = "UPDATE notifications.delivery SET "
                + "status = CASE WHEN $4 OR " + BUDGET_SPENT + " THEN 'DEAD' ELSE 'RETRY' END, "
                + "available_at = now() + make_interval(secs => $5), "
                + "finished_at = CASE WHEN $4 OR " + BUDGET_SPENT + " THEN now() END, "
                + "last_error = $6, locked_by = NULL, locked_until = NULL, "
                + "errors = errors || jsonb_build_array(jsonb_build_object('at', now(), 'attempt', attempts, "
                + "'error', $6::text, 'permanent', $4::boolean))"
                + FENCE + " RETURNING status";
        return connection.preparedQuery(sql)
                .execute(tuple(delivery.id(), workerId, delivery.attempt(), permanent, seconds(backoff),
                        bounded(error)))
                .map(rows -> first(rows).map(row -> DeliveryStatus.valueOf(row.getString("status"))));
    }

    /**
     * Returns expired leases to RETRY (or DEAD when that was the last attempt of a limited budget), oldest
     * first. The lost attempt counts like a failed one; a row without a limit is always retried.
     */
    public Uni<List<Rescued>> rescueExpired(SqlConnection connection, int limit) {
        String sql = "WITH expired AS (SELECT id, locked_by FROM notifications.delivery "
                + "WHERE status = 'SENDING' AND locked_until < now() ORDER BY locked_until LIMIT $1 "
                + "FOR UPDATE SKIP LOCKED) "
                + "UPDATE notifications.delivery d SET "
                + "status = CASE WHEN " + BUDGET_SPENT_D + " THEN 'DEAD' ELSE 'RETRY' END, "
                + "finished_at = CASE WHEN " + BUDGET_SPENT_D + " THEN now() END, "
                + "available_at = now(), locked_by = NULL, locked_until = NULL, "
                + "last_error = 'lease expired: worker ' || expired.locked_by || ' did not finish attempt ' || d.attempts, "
                + "errors = d.errors || jsonb_build_array(jsonb_build_object('at', now(), 'attempt', d.attempts, "
                + "'error', 'lease expired: worker ' || expired.locked_by || ' did not finish', 'permanent', false)) "
                + "FROM expired WHERE d.id = expired.id "
                + "RETURNING d.id, d.aggregate_id, d.channel, d.template, expired.locked_by, d.status";
        return connection.preparedQuery(sql).execute(tuple(limit))
                .map(rows -> map(rows, row -> new Rescued(row.getLong("id"), row.getString("aggregate_id"),
                        Channel.valueOf(row.getString("channel")), row.getString("template"),
                        row.getString("locked_by"), DeliveryStatus.valueOf(row.getString("status")))));
    }

    /** Seconds until the next delivery of the channel falls due (negative: overdue); empty when none waits. */
    public Uni<Optional<Double>> secondsUntilNextDue(SqlConnection connection, Channel channel) {
        String sql = "SELECT extract(epoch FROM min(available_at) - now())::float8 AS wait "
                + "FROM notifications.delivery WHERE channel = $1 AND status IN ('PENDING', 'RETRY')";
        return connection.preparedQuery(sql).execute(tuple(channel.name()))
                .map(rows -> first(rows).flatMap(row -> Optional.ofNullable(row.getDouble("wait"))));
    }

    public Uni<Optional<Summary>> find(SqlConnection connection, long id) {
        return connection.preparedQuery("SELECT " + SUMMARY_COLUMNS + " FROM notifications.delivery WHERE id = $1").execute(tuple(id))
                .map(rows -> first(rows).map(DeliveryRepository::toSummary));
    }

    /** Newest first, paged by id. */
    public Uni<List<Summary>> list(SqlConnection connection, Filter filter, Long beforeId, int limit) {
        String sql = "SELECT " + SUMMARY_COLUMNS + " FROM notifications.delivery WHERE ($1::text IS NULL OR status = $1) "
                + "AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR event_type = $3) "
                + "AND ($4::text IS NULL OR template = $4) AND ($5::bigint IS NULL OR id < $5) "
                + "ORDER BY id DESC LIMIT $6";
        return connection.preparedQuery(sql)
                .execute(tuple(nameOf(filter.status()), nameOf(filter.channel()), filter.eventType(),
                        filter.template(), beforeId, limit))
                .map(rows -> map(rows, DeliveryRepository::toSummary));
    }

    /**
     * DEAD → RETRY, due now, with a fresh retry budget (null for a channel without a limit in
     * {@code maxAttempts}). Attempts keep counting (the fencing token only grows), so the budget starts at
     * the current count. Returns the ids requeued.
     */
    public Uni<List<Long>> requeueDead(SqlConnection connection, Long id, Filter filter,
                                       Map<Channel, Integer> maxAttempts, int limit, String actor) {
        String sql = "WITH dead AS (SELECT id FROM notifications.delivery WHERE status = 'DEAD' "
                + "AND ($1::bigint IS NULL OR id = $1) AND ($2::text IS NULL OR channel = $2) "
                + "AND ($3::text IS NULL OR event_type = $3) AND ($4::text IS NULL OR template = $4) "
                + "ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED) "
                + "UPDATE notifications.delivery d SET status = 'RETRY', available_at = now(), finished_at = NULL, "
                + "retry_from = d.attempts, "
                + "max_attempts = CASE d.channel WHEN 'EMAIL' THEN $6::int WHEN 'WHATSAPP' THEN $7::int ELSE $8::int END, "
                + "errors = d.errors || jsonb_build_array(jsonb_build_object('at', now(), 'attempt', d.attempts, "
                + "'requeuedBy', $9::text)) "
                + "FROM dead WHERE d.id = dead.id RETURNING d.id";
        return connection.preparedQuery(sql)
                .execute(tuple(id, nameOf(filter.channel()), filter.eventType(), filter.template(), limit,
                        maxAttempts.get(Channel.EMAIL), maxAttempts.get(Channel.WHATSAPP),
                        maxAttempts.get(Channel.INTERNAL), actor))
                .map(rows -> map(rows, row -> row.getLong("id")));
    }

    /** Deletes one batch of SENT and SKIPPED rows finished before the retention; DEAD rows are never touched. */
    public Uni<Integer> deleteFinished(SqlConnection connection, Duration retention, int batch) {
        String sql = "DELETE FROM notifications.delivery WHERE id IN (SELECT id FROM notifications.delivery "
                + "WHERE status IN ('SENT', 'SKIPPED') AND finished_at < now() - make_interval(secs => $1) "
                + "LIMIT $2)";
        return connection.preparedQuery(sql).execute(tuple(seconds(retention), batch)).map(RowSet::rowCount);
    }

    private static Delivery toDelivery(Row row) {
        return new Delivery(row.getLong("id"), row.getUUID("event_id"), row.getString("source"),
                row.getString("event_type"), row.getString("aggregate_type"), row.getString("aggregate_id"),
                Channel.valueOf(row.getString("channel")), row.getString("template"), row.getString("payload"),
                instant(row.getOffsetDateTime("event_created_at")), row.getInteger("attempts"),
                row.getInteger("retry_from"), row.getInteger("max_attempts"));
    }

    private static Summary toSummary(Row row) {
        return new Summary(row.getLong("id"), row.getUUID("event_id"), row.getString("source"),
                row.getString("event_type"), row.getString("aggregate_id"), Channel.valueOf(row.getString("channel")),
                row.getString("template"), DeliveryStatus.valueOf(row.getString("status")), row.getInteger("attempts"),
                row.getInteger("max_attempts"), row.getString("last_error"), row.getString("errors"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("available_at")),
                instant(row.getOffsetDateTime("finished_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static String nameOf(Enum<?> value) {
        return value == null ? null : value.name();
    }

    static <T> List<T> map(RowSet<Row> rows, java.util.function.Function<Row, T> mapper) {
        List<T> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(mapper.apply(row));
        }
        return result;
    }

    static Optional<Row> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
    }
}
