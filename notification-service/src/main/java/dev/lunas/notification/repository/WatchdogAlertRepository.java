package dev.lunas.notification.repository;

import static dev.lunas.notification.repository.Sql.tuple;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The watchdog's shared alert state ({@code notifications.watchdog_alert}) and the numbers it watches. Each
 * statement stands alone: a condition is claimed for a lease, read, mailed and recorded without a transaction
 * held open across the mail.
 *
 * <p>Three of the numbers come from the producers' schemas, read-only: {@code payments.payment_attempt},
 * {@code payments.payment_audit} and {@code orders.customer_order} (the producers' migrations {@code V3__watchdog_read}
 * grant notification-service's role SELECT on exactly these). Until a producer has migrated its schema, its conditions answer "not known yet".
 */
@ApplicationScoped
public class WatchdogAlertRepository {

    /** The producer's table or schema does not exist (yet): the condition cannot be checked. */
    private static final Set<String> NOT_THERE = Set.of("42P01", "3F000");
    private static final int SAMPLE = 5;

    /** A condition's row as claimed by this replica. */
    public record AlertState(String condition, boolean active, Instant since, Instant lastSentAt) {
    }

    /**
     * What a condition finds now: how many rows are in it, since when (the oldest), how many entered it after the
     * last mail, and a few order ids to start from (oldest first).
     */
    public record Finding(long count, Instant oldest, long newer, List<String> orderIds) {
    }

    /**
     * Claims the condition for {@code lease} (database clock) and answers its state, or empty when another replica
     * holds a live claim (it is deciding the same thing right now). The row is created on the first claim.
     */
    public Uni<Optional<AlertState>> claim(SqlClient client, String condition, String replica, Duration lease) {
        return client.preparedQuery(
                        "INSERT INTO notifications.watchdog_alert AS a (condition, claimed_by, claimed_until) "
                                + "VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3)) "
                                + "ON CONFLICT (condition) DO UPDATE SET claimed_by = excluded.claimed_by, "
                                + "claimed_until = excluded.claimed_until "
                                + "WHERE a.claimed_until IS NULL OR a.claimed_until < clock_timestamp() "
                                + "RETURNING a.condition, a.active, a.since, a.last_sent_at")
                .execute(tuple(condition, replica, (double) lease.toMillis() / 1000))
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

    /** Records a mail about the condition and gives the claim back, if this replica still holds it. */
    public Uni<Boolean> record(SqlClient client, String condition, String replica, boolean active, Instant since, Instant sentAt) {
        return client.preparedQuery("UPDATE notifications.watchdog_alert "
                        + "SET active = $3, since = $4, last_sent_at = $5, claimed_by = NULL, claimed_until = NULL "
                        + "WHERE condition = $1 AND claimed_by = $2")
                .execute(tuple(condition, replica, active, offset(since), offset(sentAt)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Gives the claim back without changing anything (nothing to mail, or the mail failed). */
    public Uni<Void> release(SqlClient client, String condition, String replica) {
        return client.preparedQuery("UPDATE notifications.watchdog_alert "
                        + "SET claimed_by = NULL, claimed_until = NULL WHERE condition = $1 AND claimed_by = $2")
                .execute(tuple(condition, replica))
                .replaceWithVoid();
    }

    /** DEAD deliveries: when they died, those after {@code after} counted as new. */
    public Uni<Optional<Finding>> deadDeliveries(SqlClient client, Instant after) {
        return find(client, "SELECT count(*) AS n, min(coalesce(finished_at, created_at)) AS oldest, "
                + "count(*) FILTER (WHERE coalesce(finished_at, created_at) > $1) AS newer, "
                + "(array_agg(aggregate_id ORDER BY coalesce(finished_at, created_at), id))[1:" + SAMPLE + "] AS sample "
                + "FROM notifications.delivery WHERE status = 'DEAD'", epochIfNull(after));
    }

    /**
     * Payments SETTLED before {@code settledBefore} whose order is not PAID (or missing): the payment result did not
     * reach order-service. Counted from the settlement time.
     */
    public Uni<Optional<Finding>> settledNotPaid(SqlClient client, Instant after, Instant settledBefore) {
        return find(client, "SELECT count(*) AS n, min(p.settled_at) AS oldest, "
                + "count(*) FILTER (WHERE p.settled_at > $1) AS newer, "
                + "(array_agg(p.order_id::text ORDER BY p.settled_at, p.order_id))[1:" + SAMPLE + "] AS sample "
                + "FROM payments.payment_attempt p LEFT JOIN orders.customer_order o ON o.id = p.order_id "
                + "WHERE p.status = 'SETTLED' AND p.settled_at < $2 AND o.status IS DISTINCT FROM 'PAID'",
                epochIfNull(after), offset(settledBefore));
    }

    /**
     * Orders still open (CREATED or PENDING_PAYMENT) whose deadline — the end of the payment window, or of a
     * limited package's place hold if sooner — passed before {@code deadlineBefore}: the expiry job should have
     * closed them. Counted from the deadline.
     */
    public Uni<Optional<Finding>> openPastDeadline(SqlClient client, Instant after, Instant deadlineBefore) {
        return find(client, "SELECT count(*) AS n, min(d.deadline) AS oldest, count(*) FILTER (WHERE d.deadline > $1) AS newer, "
                + "(array_agg(d.id::text ORDER BY d.deadline, d.id))[1:" + SAMPLE + "] AS sample "
                + "FROM (SELECT id, least(expires_at, coalesce(place_held_until, expires_at)) AS deadline "
                + "FROM orders.customer_order WHERE status IN ('CREATED', 'PENDING_PAYMENT') "
                + "AND (expires_at < $2 OR place_held_until < $2)) d WHERE d.deadline < $2",
                epochIfNull(after), offset(deadlineBefore));
    }

    /** Second settlements payment-service recorded for an already settled order after {@code after}, up to {@code upTo}. */
    public Uni<Optional<Finding>> doubleSettlements(SqlClient client, Instant after, Instant upTo) {
        return find(client, "SELECT count(*) AS n, min(created_at) AS oldest, count(*) AS newer, "
                + "(array_agg(DISTINCT order_id::text))[1:" + SAMPLE + "] AS sample "
                + "FROM payments.payment_audit WHERE action = 'DOUBLE_SETTLEMENT' AND created_at > $1 AND created_at <= $2",
                epochIfNull(after), offset(upTo));
    }

    private static Uni<Optional<Finding>> find(SqlClient client, String sql, Object... parameters) {
        return client.preparedQuery(sql).execute(tuple(parameters))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    List<String> sample = new ArrayList<>();
                    String[] ids = row.getArrayOfStrings("sample");
                    if (ids != null) {
                        for (String id : ids) {
                            sample.add(id);
                        }
                    }
                    return Optional.of(new Finding(row.getLong("n"), instant(row, "oldest"), row.getLong("newer"),
                            List.copyOf(sample)));
                })
                .onFailure(failure -> failure instanceof PgException pg && NOT_THERE.contains(pg.getSqlState()))
                .recoverWithItem(Optional.empty());
    }

    private static OffsetDateTime epochIfNull(Instant instant) {
        return offset(instant == null ? Instant.EPOCH : instant);
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
