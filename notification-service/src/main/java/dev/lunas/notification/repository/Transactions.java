package dev.lunas.notification.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * The one place where this service opens database transactions, so that a per-transaction setting
 * (the tenant, a statement timeout) can later be added here once. The queue works on the reactive
 * client directly rather than through Hibernate sessions: many short transactions run concurrently
 * from timers and LISTEN callbacks, with arrays and RETURNING, and none of it is entity state.
 */
@ApplicationScoped
public class Transactions {

    private final Pool pool;

    public Transactions(Pool pool) {
        this.pool = pool;
    }

    /** Runs the work in one transaction on one connection: committed if the Uni succeeds, rolled back if it fails. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /**
     * One statement on any pooled connection: PostgreSQL runs it as a transaction of its own, which spares the
     * BEGIN and COMMIT round trips of {@link #inTransaction} for work that is a single statement.
     */
    public <T> Uni<T> inStatement(Function<SqlClient, Uni<T>> statement) {
        return statement.apply(pool);
    }

    /** Read-only work that needs no transaction. */
    public <T> Uni<T> read(Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(work);
    }
}
