package dev.lunas.notification.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The numbers behind the outbox gauges, in one statement over the delivery queue and the source outboxes. */
@ApplicationScoped
public class QueueStatsRepository {

    private final SourceOutboxRepository outboxes;

    /**
     * @param pending             events not yet attempted: PENDING source rows plus PENDING deliveries
     * @param retrying            deliveries waiting for their next attempt
     * @param failed              DEAD deliveries plus DEAD source rows
     * @param oldestPendingSeconds age of the oldest event not yet attempted, 0 when there is none
     */
    public record QueueStats(long pending, long retrying, long failed, double oldestPendingSeconds) {
    }

    public QueueStatsRepository(SourceOutboxRepository outboxes) {
        this.outboxes = outboxes;
    }

    /** {@code presentSources}: the configured sources whose table exists (a missing one counts as empty). */
    public Uni<QueueStats> read(SqlConnection connection, List<String> presentSources) {
        StringBuilder pending = new StringBuilder("(SELECT count(*) FROM notifications.delivery WHERE status = 'PENDING')");
        StringBuilder failed = new StringBuilder("(SELECT count(*) FROM notifications.delivery WHERE status = 'DEAD')");
        StringBuilder oldest = new StringBuilder(
                "(SELECT min(event_created_at) FROM notifications.delivery WHERE status = 'PENDING')");
        for (String source : presentSources) {
            String table = outboxes.table(source);
            pending.append(" + (SELECT count(*) FROM ").append(table).append(" WHERE status = 'PENDING')");
            failed.append(" + (SELECT count(*) FROM ").append(table).append(" WHERE status = 'DEAD')");
            oldest.append(", (SELECT min(created_at) FROM ").append(table).append(" WHERE status = 'PENDING')");
        }
        String sql = "SELECT " + pending + " AS pending, "
                + "(SELECT count(*) FROM notifications.delivery WHERE status = 'RETRY') AS retrying, "
                + failed + " AS failed, "
                + "coalesce(extract(epoch FROM now() - least(" + oldest + "))::float8, 0) AS oldest";
        return connection.query(sql).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new QueueStats(row.getLong("pending"), row.getLong("retrying"), row.getLong("failed"),
                    Math.max(0, row.getDouble("oldest")));
        });
    }
}
