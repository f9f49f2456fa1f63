package dev.lunas.notification.service;

import static dev.lunas.common.logging.Masking.email;

import dev.lunas.common.logging.EventLog;
import dev.lunas.notification.client.AlertMailer;
import dev.lunas.notification.client.AlertMailer.Alert;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.repository.Transactions;
import dev.lunas.notification.repository.WatchdogAlertRepository;
import dev.lunas.notification.repository.WatchdogAlertRepository.AlertState;
import dev.lunas.notification.repository.WatchdogAlertRepository.DeadDeliveries;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Alerts that work without Prometheus: every {@code lunas.notification.watchdog.interval} the watchdog looks
 * at two conditions and mails ALERT_EMAIL once per condition, a reminder after every
 * {@code lunas.notification.watchdog.cooldown} while it lasts, and a "resolved" mail when it ends.
 * <ul>
 * <li><b>DatabaseUnreachable</b> — its own probe ({@code SELECT 1} through the pool, short timeout) fails. The
 *     state is kept in this process's memory and the mail goes straight through the mailer, since the database
 *     is the only shared state and it is the thing that is down. So every replica that notices mails it
 *     once (and each mails its own recovery): with N replicas, N mails per outage and per cool-down. Accepted:
 *     a few duplicate mails about a dead database are better than none. A replica that starts while the
 *     database is down alerts too; one that restarts during an outage forgets it already alerted.</li>
 * <li><b>DeliveriesDead</b> — {@code notifications.delivery} has DEAD rows. Decided in the database: the
 *     replica that locks the condition's row in {@code notifications.watchdog_alert} ({@code FOR UPDATE SKIP
 *     LOCKED}) mails and records the mail in the same transaction, so a failed mail is retried on the next run
 *     and no two replicas mail the same thing. It alerts when DEAD rows appear while the condition is not
 *     active (new since the last alert or "resolved"), reminds when they are still there a cool-down after the
 *     last mail (saying how many are new), and says "resolved" once none are left (requeued or removed).
 *     Not checked while the database is unreachable.</li>
 * </ul>
 */
@ApplicationScoped
public class WatchdogService {

    public static final String DATABASE_UNREACHABLE = "DatabaseUnreachable";
    public static final String DELIVERIES_DEAD = "DeliveriesDead";

    private static final EventLog LOG = EventLog.of(WatchdogService.class, "watchdog");

    private final Transactions transactions;
    private final WatchdogAlertRepository alerts;
    private final AlertMailer mailer;
    private final DatabaseProbe probe;
    private final Duration cooldown;

    /** The database condition as this process last saw it: null while reachable. */
    private volatile Outage outage;

    /** An outage this process noticed: since when, the last mail about it (null if none could be sent yet). */
    private record Outage(Instant since, Instant lastSentAt, String reason) {
    }

    /**
     * What one run found and did: {@code sent} names the alerts raised (mailed, or only logged without ALERT_EMAIL),
     * {@code <condition>} or {@code <condition>_RESOLVED}.
     */
    public record Outcome(boolean databaseUp, List<String> sent) {
    }

    public WatchdogService(Transactions transactions, WatchdogAlertRepository alerts, AlertMailer mailer, Pool pool,
                           NotificationConfig config) {
        this.transactions = transactions;
        this.alerts = alerts;
        this.mailer = mailer;
        this.probe = new DatabaseProbe(pool, config.watchdog().probeTimeout());
        this.cooldown = config.watchdog().cooldown();
    }

    public Duration cooldown() {
        return cooldown;
    }

    /** One run at the current time with the real probe: what the scheduled job does. */
    public Uni<Outcome> check() {
        return check(Instant.now());
    }

    /** One run with the real probe as if it were {@code now}. */
    public Uni<Outcome> check(Instant now) {
        return check(now, probe);
    }

    /**
     * One run as if it were {@code now}, asking {@code database} whether the database is there. The cool-down is
     * measured against {@code now}, so a test can step over it without waiting.
     */
    public Uni<Outcome> check(Instant now, DatabaseProbe database) {
        return database.ping()
                .map(ignored -> Optional.<Throwable>empty())
                .onFailure().recoverWithItem(Optional::of)
                .flatMap(failure -> failure.isPresent()
                        ? databaseDown(now, failure.get()).map(sent -> new Outcome(false, sent))
                        : databaseUp(now).flatMap(recovered -> deliveriesDead(now)
                                .map(dead -> new Outcome(true, concat(recovered, dead)))));
    }

    /** A test alert to ALERT_EMAIL, straight through the mailer. */
    public Uni<String> sendTest(Instant now, String actor) {
        Optional<String> address = mailer.address();
        if (address.isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("no ALERT_EMAIL configured"));
        }
        Alert alert = new Alert("test", null, "Test alert from notification-service",
                "an operator (" + actor + ") asked for a test alert; if you read this, watchdog alerts reach you.",
                now, List.of("Nothing to do. If this mail was not expected, check who holds the admin token."), null);
        return mailer.send(alert).invoke(() -> LOG.info("WATCHDOG_TEST_ALERT_SENT", null,
                        "test alert mailed to %s", email(address.get())))
                .replaceWith(address.get());
    }

    // ---- DatabaseUnreachable: in memory, mailed directly

    private Uni<List<String>> databaseDown(Instant now, Throwable failure) {
        String reason = reason(failure);
        Outage current = outage;
        if (current == null) {
            current = new Outage(now, null, reason);
            outage = current;
            LOG.error("WATCHDOG_DATABASE_UNREACHABLE", null, "the database does not answer: %s", reason);
        }
        boolean due = current.lastSentAt() == null || !now.isBefore(current.lastSentAt().plus(cooldown));
        if (!due) {
            return Uni.createFrom().item(List.of());
        }
        boolean reminder = current.lastSentAt() != null;
        Outage noticed = current;
        Alert alert = new Alert("P0", DATABASE_UNREACHABLE,
                reminder ? "Database unreachable (still)" : "Database unreachable",
                "notification-service cannot reach its PostgreSQL database (" + reason + "). No message is relayed "
                        + "or sent and payment results do not reach order-service until it is back; order-service "
                        + "and payment-service share the cluster and are likely failing too.",
                noticed.since(),
                List.of("Check the PostgreSQL server: is it running, is its disk full, does it accept connections "
                                + "(pg_isready)?",
                        "Check the network path and the credentials the services use (QUARKUS_DATASOURCE_*).",
                        "Once it is back nothing is lost: the outbox rows wait and are relayed; watch for the "
                                + "\"resolved\" mail."),
                null);
        return mail(alert, DATABASE_UNREACHABLE, reminder)
                .map(sent -> {
                    if (sent) {
                        outage = new Outage(noticed.since(), now, noticed.reason());
                        return List.of(DATABASE_UNREACHABLE);
                    }
                    return List.<String>of();
                });
    }

    private Uni<List<String>> databaseUp(Instant now) {
        Outage ended = outage;
        if (ended == null) {
            return Uni.createFrom().item(List.of());
        }
        outage = null;
        Duration lasted = Duration.between(ended.since(), now);
        LOG.info("WATCHDOG_DATABASE_REACHABLE", null, "the database answers again after %s",
                AlertMailer.duration(lasted));
        if (ended.lastSentAt() == null) {
            return Uni.createFrom().item(List.of());
        }
        Alert alert = new Alert("resolved", DATABASE_UNREACHABLE, "Database reachable again",
                "notification-service reaches its database again (it was unreachable: " + ended.reason() + ").",
                ended.since(),
                List.of("Check that the outbox drains: outbox_pending falls, GET /admin/deliveries?status=DEAD shows "
                        + "nothing new.", "Find out why it was down before it happens again."),
                lasted);
        return mail(alert, DATABASE_UNREACHABLE + "_RESOLVED", false)
                .map(sent -> sent ? List.of(DATABASE_UNREACHABLE + "_RESOLVED") : List.<String>of());
    }

    // ---- DeliveriesDead: decided in the database

    private Uni<List<String>> deliveriesDead(Instant now) {
        return transactions.inTransaction(connection -> alerts.lock(connection, DELIVERIES_DEAD)
                .flatMap(locked -> {
                    if (locked.isEmpty()) {
                        return Uni.createFrom().item(List.<String>of()); // another replica is deciding right now
                    }
                    AlertState state = locked.get();
                    return alerts.deadDeliveries(connection, state.lastSentAt())
                            .flatMap(dead -> decide(state, dead, now).map(alert -> mail(alert.alert(), alert.sent(),
                                            alert.reminder())
                                    .flatMap(sent -> {
                                        if (!sent) {
                                            // nothing recorded: the next run tries again
                                            return Uni.createFrom().item(List.<String>of());
                                        }
                                        return alerts.record(connection, DELIVERIES_DEAD, alert.active(),
                                                        alert.since(), now)
                                                .replaceWith(List.of(alert.sent()));
                                    }))
                                    .orElseGet(() -> Uni.createFrom().item(List.of())));
                }));
    }

    private record Decision(Alert alert, String sent, boolean active, Instant since, boolean reminder) {
    }

    private Optional<Decision> decide(AlertState state, DeadDeliveries dead, Instant now) {
        if (dead.count() == 0) {
            if (!state.active()) {
                return Optional.empty();
            }
            Instant since = state.since() == null ? now : state.since();
            Duration lasted = Duration.between(since, now);
            return Optional.of(new Decision(new Alert("resolved", DELIVERIES_DEAD, "No DEAD deliveries left",
                    "notifications.delivery has no DEAD rows any more: they were requeued (and sent) or removed.",
                    since, List.of("Nothing to do; check that the requeued messages were sent "
                            + "(GET /admin/deliveries?status=DEAD stays empty)."), lasted),
                    DELIVERIES_DEAD + "_RESOLVED", false, since, false));
        }
        boolean reminder = state.active();
        if (reminder && state.lastSentAt() != null && now.isBefore(state.lastSentAt().plus(cooldown))) {
            return Optional.empty();
        }
        Instant since = reminder && state.since() != null ? state.since()
                : dead.oldest() == null ? now : dead.oldest();
        String what = dead.count() + " deliveries are DEAD in notifications.delivery: they will not be sent again "
                + "by themselves. Customers may be missing payment instructions or course access, or paid orders "
                + "may not have been told they are paid (channel INTERNAL)."
                + (reminder ? " " + dead.newer() + " of them died since the last mail." : "");
        Alert alert = new Alert("P0", DELIVERIES_DEAD,
                reminder ? "Deliveries DEAD (still " + dead.count() + ")" : "Deliveries DEAD (" + dead.count() + ")",
                what, since,
                List.of("List them with their error history: GET /admin/deliveries?status=DEAD (admin token).",
                        "Fix the cause (SMTP or WhatsApp credentials, a wrong address, order-service refusing).",
                        "Requeue them: POST /admin/deliveries/{id}/requeue, or POST /admin/deliveries/requeue"
                                + "?channel=... for up to 1,000 at once."),
                null);
        return Optional.of(new Decision(alert, DELIVERIES_DEAD, true, since, reminder));
    }

    // ---- mailing and logging

    /**
     * Mails the alert; answers whether it was raised (never fails: a mail the SMTP server did not take is logged
     * and tried again on the next run). Without ALERT_EMAIL the log line with {@code alert=critical} is all there
     * is; it counts as raised, so it too comes once per condition and cool-down rather than every run.
     */
    private Uni<Boolean> mail(Alert alert, String sent, boolean reminder) {
        Optional<String> address = mailer.address();
        if (address.isEmpty()) {
            if (alert.kind().equals("resolved")) {
                LOG.info("WATCHDOG_ALERT_NOT_MAILED", null, "%s: %s (no ALERT_EMAIL configured: not mailed)",
                        alert.subject(), alert.what());
            } else {
                LOG.critical("WATCHDOG_ALERT_NOT_MAILED", null, "%s: %s (no ALERT_EMAIL configured: not mailed)",
                        alert.subject(), alert.what());
            }
            return Uni.createFrom().item(true);
        }
        return mailer.send(alert)
                .map(ignored -> {
                    if (alert.kind().equals("resolved")) {
                        LOG.info("WATCHDOG_ALERT_RESOLVED", null, "%s mailed to %s", alert.subject(),
                                email(address.get()));
                    } else {
                        LOG.critical("WATCHDOG_ALERT_SENT", null, "%s%s mailed to %s: %s", alert.subject(),
                                reminder ? " (reminder)" : "", email(address.get()), alert.what());
                    }
                    return true;
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.error("WATCHDOG_ALERT_NOT_SENT", null, "%s could not be mailed to %s, tried again next run: %s",
                            alert.subject(), email(address.get()), reason(failure));
                    return false;
                });
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() <= 300 ? line : line.substring(0, 300);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        if (first.isEmpty()) {
            return second;
        }
        if (second.isEmpty()) {
            return first;
        }
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
