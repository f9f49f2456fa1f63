package dev.lunas.notification.repository;

import static dev.lunas.notification.repository.Sql.tuple;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/** The admin API's audit trail, written in the transaction of the change it records. */
@ApplicationScoped
public class AuditRepository {

    public Uni<Void> record(SqlConnection connection, String actor, String action, String target, String detailJson,
                            String correlationId) {
        String sql = "INSERT INTO notifications.admin_audit (actor, action, target, detail, correlation_id) "
                + "VALUES ($1, $2, $3, $4::jsonb, $5)";
        return connection.preparedQuery(sql).execute(tuple(actor, action, target, detailJson, correlationId))
                .replaceWithVoid();
    }
}
