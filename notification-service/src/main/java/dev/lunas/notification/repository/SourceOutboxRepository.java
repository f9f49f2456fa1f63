package dev.lunas.notification.repository;

import static dev.lunas.notification.repository.DeliveryRepository.map;
import static dev.lunas.notification.repository.Sql.bounded;
import static dev.lunas.common.sql.SqlTime.seconds;
import static dev.lunas.notification.repository.Sql.tuple;

import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.model.SourceEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * SQL on the producers' {@code <source>.outbox} tables (common's db/outbox/V0_1__outbox.sql): the one
 * sanctioned cross-schema access. Source names come only from configuration and are checked to be plain
 * identifiers before they are spliced into SQL.
 */
@ApplicationScoped
public class SourceOutboxRepository {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final List<String> sources;

    /** How the relay leaves a claimed row: SENT (deliveries made, or none needed) or DEAD with the reason. */
    public record Outcome(long outboxId, boolean dead, String error) {
    }

    /** A DEAD outbox row as the admin API shows it. */
    public record DeadEvent(String source, UUID eventId, String eventType, String aggregateId, String lastError,
                            Instant createdAt, Instant relayedAt) {
    }

    public SourceOutboxRepository(NotificationConfig config) {
        for (String source : config.sources()) {
            if (!IDENTIFIER.matcher(source).matches()) {
                throw new IllegalArgumentException("lunas.notification.sources: '" + source
                        + "' is not a plain lower-case schema name");
            }
        }
        this.sources = List.copyOf(config.sources());
    }

    public List<String> sources() {
        return sources;
    }

    public boolean isSource(String source) {
        return sources.contains(source);
    }

    /** The qualified table of a configured source; anything else is refused. */
    public String table(String source) {
        if (!isSource(source)) {
            throw new IllegalArgumentException("Not a configured outbox source: " + source);
        }
        return source + ".outbox";
    }

    /** Producers migrate their own schema, so a source table may not exist yet. */
    public Uni<Boolean> exists(SqlConnection connection, String source) {
        return connection.preparedQuery("SELECT to_regclass($1) IS NOT NULL AS present").execute(tuple(table(source)))
                .map(rows -> rows.iterator().next().getBoolean("present"));
    }

    /** Locks up to {@code limit} PENDING rows, skipping rows another relay holds; by state, never by a cursor. */
    public Uni<List<SourceEvent>> claimPending(SqlConnection connection, String source, int limit) {
        String sql = "SELECT id, event_id, event_type, aggregate_id, payload::text AS payload FROM " + table(source)
                + " WHERE status = 'PENDING' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED";
        return connection.preparedQuery(sql).execute(tuple(limit))
                .map(rows -> map(rows, row -> new SourceEvent(row.getLong("id"), row.getUUID("event_id"),
                        row.getString("event_type"), row.getString("aggregate_id"), row.getString("payload"))));
    }

    public Uni<Void> markRelayed(SqlConnection connection, String source, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = outcomes.size();
        Long[] ids = new Long[n];
        String[] statuses = new String[n];
        String[] errors = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = outcomes.get(i).outboxId();
            statuses[i] = outcomes.get(i).dead() ? "DEAD" : "SENT";
            errors[i] = bounded(outcomes.get(i).error());
        }
        String sql = "UPDATE " + table(source) + " o SET status = r.status, relayed_at = now(), last_error = r.error "
                + "FROM unnest($1::bigint[], $2::text[], $3::text[]) AS r(id, status, error) "
                + "WHERE o.id = r.id AND o.status = 'PENDING'";
        return connection.preparedQuery(sql).execute(tuple(ids, statuses, errors)).replaceWithVoid();
    }

    public Uni<List<DeadEvent>> listDead(SqlConnection connection, String source, int limit) {
        String sql = "SELECT event_id, event_type, aggregate_id, last_error, created_at, relayed_at FROM "
                + table(source) + " WHERE status = 'DEAD' ORDER BY id DESC LIMIT $1";
        return connection.preparedQuery(sql).execute(tuple(limit))
                .map(rows -> map(rows, row -> toDead(source, row)));
    }

    /** DEAD → PENDING, so the relay tries the event again; returns the requeued rows as they were. */
    public Uni<List<DeadEvent>> requeueDead(SqlConnection connection, String source, UUID eventId, String eventType,
                                            int limit) {
        String sql = "WITH dead AS (SELECT id, last_error, relayed_at FROM " + table(source)
                + " WHERE status = 'DEAD' AND ($1::uuid IS NULL OR event_id = $1) "
                + "AND ($2::text IS NULL OR event_type = $2) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) "
                + "UPDATE " + table(source) + " o SET status = 'PENDING', relayed_at = NULL, last_error = NULL "
                + "FROM dead WHERE o.id = dead.id "
                + "RETURNING o.event_id, o.event_type, o.aggregate_id, dead.last_error, o.created_at, dead.relayed_at";
        return connection.preparedQuery(sql).execute(tuple(eventId, eventType, limit))
                .map(rows -> map(rows, row -> toDead(source, row)));
    }

    /** Deletes one batch of SENT rows relayed before the retention; DEAD rows stay until requeued. */
    public Uni<Integer> deleteRelayed(SqlConnection connection, String source, Duration retention, int batch) {
        String sql = "DELETE FROM " + table(source) + " WHERE id IN (SELECT id FROM " + table(source)
                + " WHERE status = 'SENT' AND relayed_at < now() - make_interval(secs => $1) LIMIT $2)";
        return connection.preparedQuery(sql).execute(tuple(seconds(retention), batch)).map(RowSet::rowCount);
    }

    private static DeadEvent toDead(String source, Row row) {
        OffsetDateTime relayedAt = row.getOffsetDateTime("relayed_at");
        return new DeadEvent(source, row.getUUID("event_id"), row.getString("event_type"),
                row.getString("aggregate_id"), row.getString("last_error"),
                row.getOffsetDateTime("created_at").toInstant(), relayedAt == null ? null : relayedAt.toInstant());
    }
}
