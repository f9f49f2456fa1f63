package dev.lunas.notification.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;

/**
 * The watchdog's question "is the database there?": {@code select 1} through a pool, failing after a short
 * timeout so a black-holed database host counts as down rather than holding the watchdog.
 */
public class DatabaseProbe {

    private final Pool pool;
    private final Duration timeout;

    public DatabaseProbe(Pool pool, Duration timeout) {
        this.pool = pool;
        this.timeout = timeout;
    }

    /** Completes when the database answered, fails with the reason otherwise. */
    public Uni<Void> ping() {
        return Uni.createFrom().deferred(() -> pool.query("SELECT 1").execute())
                .ifNoItem().after(timeout).failWith(() -> new java.util.concurrent.TimeoutException(
                        "no answer to SELECT 1 within " + timeout.toMillis() + " ms"))
                .replaceWithVoid();
    }
}
