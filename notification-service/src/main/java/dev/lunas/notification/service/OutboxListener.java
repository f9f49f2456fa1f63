package dev.lunas.notification.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.notification.config.NotificationConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * LISTENs on {@code lunas_outbox} (the producers' outbox trigger NOTIFYs it at commit) on a dedicated
 * connection outside the pool, and wakes the relay of the schema a notification names, and every relay on
 * every (re)connect,
 * since notifications sent while disconnected are lost. It is only a hint: the poll still runs, so a
 * lost notification delays a message by at most the poll interval.
 */
@ApplicationScoped
public class OutboxListener {

    static final String CHANNEL = "lunas_outbox";
    private static final EventLog LOG = EventLog.of(OutboxListener.class, "listener");
    private static final long MAX_RECONNECT_DELAY_MS = 30_000;

    private final Vertx vertx;
    private final Dispatcher dispatcher;
    private final boolean enabled;
    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;
    private PgSubscriber subscriber;
    private volatile boolean stopping;

    public OutboxListener(Vertx vertx, Dispatcher dispatcher, NotificationConfig config,
                          @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
                          @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                          @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.dispatcher = dispatcher;
        this.enabled = config.listenEnabled();
        this.url = url;
        this.username = username;
        this.password = password;
    }

    void start(@Observes StartupEvent started) {
        if (!enabled || url.isEmpty()) {
            LOG.warn("OUTBOX_LISTEN_OFF", null, "Not listening on %s (%s): the relay relies on polling alone",
                    CHANNEL, enabled ? "no reactive datasource URL" : "lunas.notification.listen.enabled=false");
            return;
        }
        subscriber = PgSubscriber.subscriber(vertx, options());
        // never give up: reconnect with growing pauses for as long as the service runs
        subscriber.reconnectPolicy(retries -> Math.min(MAX_RECONNECT_DELAY_MS, 250L << Math.min(retries, 7)));
        subscriber.channel(CHANNEL)
                .handler(dispatcher::wakeRelay)
                .subscribeHandler(() -> {
                    LOG.info("OUTBOX_LISTENING", null, "Listening on %s", CHANNEL);
                    dispatcher.wakeRelay();
                });
        connect(0);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopping = true;
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** The first connection is retried here; once connected, the subscriber's reconnect policy takes over. */
    private void connect(int attempt) {
        subscriber.connect().subscribe().with(connected -> { }, failure -> {
            if (stopping) {
                return;
            }
            long delay = Math.min(MAX_RECONNECT_DELAY_MS, 250L << Math.min(attempt, 7));
            LOG.warn("OUTBOX_LISTEN_FAILED", null, "Cannot LISTEN on %s yet (%s); polling meanwhile, retrying in %d ms",
                    CHANNEL, failure.getMessage(), delay);
            vertx.setTimer(delay, id -> connect(attempt + 1));
        });
    }

    private PgConnectOptions options() {
        String first = url.get().split(",")[0].trim().replaceFirst("^vertx-reactive:", "");
        PgConnectOptions options = PgConnectOptions.fromUri(first);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        return options;
    }
}
