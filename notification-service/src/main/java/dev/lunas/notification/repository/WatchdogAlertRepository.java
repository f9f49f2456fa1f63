package dev.lunas.notification.repository;

import static dev.lunas.notification.repository.Sql.tuple;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The watchdog's shared alert state ({@code notifications.watchdog_alert}) and the numbers it watches. */
@ApplicationScoped
public class WatchdogAlertRepository {

    /** A condition's row as locked by this replica. */
    public record AlertState(String condition, boolean active, Instant since, Instant lastSentAt) {
    }

    /** DEAD deliveries now: how many, the oldest, and how many died after {@code after}. */
    public record DeadDeliveries(long count, Instant oldest, long newer) {
    }

    /**
     * Locks the condition's row for this transaction, or answers empty when another replica holds it (it is
     * deciding the same thing right now). The row is created on first use.
     */
    public Uni<Optional<AlertState>> lock(SqlConnection connection, String condition) {
        return connection.preparedQuery("INSERT INTO notifications.watchdog_alert (condition) VALUES ($1) "
                        + "ON CONFLICT (condition) DO NOTHING").execute(tuple(condition))
                .flatMap(ignored -> connection.preparedQuery("SELECT condition, active, since, last_sent_at "
                        + "FROM notifications.watchdog_alert WHERE condition = $1 FOR UPDATE SKIP LOCKED")
                        .execute(tuple(condition)))
                .map(rows -> {
                    var iterator = rows.iterator();
                    if (!iterator.hasNext()) {
                        return Optional.empty();
                    }
                    Row row = iterator.next();
                    return Optional.of(new AlertState(row.getString("condition"), row.getBoolean("active"),
                            instant(row, "since"), instant(row, "last_sent_at")));
                });
    }

    public Uni<Void> record(SqlConnection connection, String condition, boolean active, Instant since, Instant sentAt) {
        return connection.preparedQuery("UPDATE notifications.watchdog_alert SET active = $2, since = $3, "
                        + "last_sent_at = $4 WHERE condition = $1")
                .execute(tuple(condition, active, offset(since), offset(sentAt)))
                .replaceWithVoid();
    }

    public Uni<DeadDeliveries> deadDeliveries(SqlConnection connection, Instant after) {
        return connection.preparedQuery("SELECT count(*) AS dead, min(coalesce(finished_at, created_at)) AS oldest, "
                        + "count(*) FILTER (WHERE coalesce(finished_at, created_at) > $1) AS newer "
                        + "FROM notifications.delivery WHERE status = 'DEAD'")
                .execute(tuple(offset(after == null ? Instant.EPOCH : after)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new DeadDeliveries(row.getLong("dead"), instant(row, "oldest"), row.getLong("newer"));
                });
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
