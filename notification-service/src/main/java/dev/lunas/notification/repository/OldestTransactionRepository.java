package dev.lunas.notification.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The session holding back the database's vacuum horizon longest: {@code notifications.oldest_transaction()}
 * (migration V5), which reads {@code pg_stat_activity} with its owner's rights and answers one row.
 */
@ApplicationScoped
public class OldestTransactionRepository {

    /**
     * @param ageSeconds      how long its transaction has been open
     * @param roleName        the database role it logged in as
     * @param applicationName what the client calls itself ({@code application_name}), possibly empty
     * @param state           {@code active}, {@code idle in transaction}, …
     */
    public record OldestTransaction(double ageSeconds, int pid, String roleName, String applicationName, String state) {
    }

    public Uni<Optional<OldestTransaction>> read(SqlConnection connection) {
        return connection.query("SELECT age_seconds, pid, role_name, application_name, state"
                + " FROM notifications.oldest_transaction()").execute().map(rows -> {
                    RowIterator<Row> iterator = rows.iterator();
                    if (!iterator.hasNext()) {
                        return Optional.empty();
                    }
                    Row row = iterator.next();
                    return Optional.of(new OldestTransaction(Math.max(0, row.getDouble("age_seconds")),
                            row.getInteger("pid"), String.valueOf(row.getString("role_name")),
                            row.getString("application_name") == null ? "" : row.getString("application_name"),
                            String.valueOf(row.getString("state"))));
                });
    }
}
