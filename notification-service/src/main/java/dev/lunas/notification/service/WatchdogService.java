package dev.lunas.notification.service;

import static dev.lunas.common.logging.Masking.email;

import dev.lunas.common.logging.EventLog;
import dev.lunas.notification.client.AlertMailer;
import dev.lunas.notification.client.AlertMailer.Alert;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.repository.Transactions;
import dev.lunas.notification.repository.WatchdogAlertRepository;
import dev.lunas.notification.repository.WatchdogAlertRepository.AlertState;
import dev.lunas.notification.repository.WatchdogAlertRepository.Finding;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Alerts that work without Prometheus: every {@code lunas.notification.watchdog.interval} the watchdog looks
 * at its conditions and mails ALERT_EMAIL once per condition, a reminder after every
 * {@code lunas.notification.watchdog.cooldown} while it lasts, and a "resolved" mail when it ends.
 * <ul>
 * <li><b>DatabaseUnreachable</b> — its own probe ({@code SELECT 1} through the pool, short timeout) fails. The
 *     state is kept in this process's memory and the mail goes straight through the mailer, since the database
 *     is the only shared state and it is the thing that is down. So every replica that notices mails it
 *     once (and each mails its own recovery): with N replicas, N mails per outage and per cool-down. Accepted:
 *     a few duplicate mails about a dead database are better than none. A replica that starts while the
 *     database is down alerts too; one that restarts during an outage forgets it already alerted.</li>
 * <li>Conditions decided in the database, not checked while it is unreachable:
 *     <b>SettledNotPaid</b> (a payment SETTLED in payment-service longer than
 *     {@code settled-not-paid-after} whose order is not PAID: the customer paid and has no access),
 *     <b>DoubleSettlement</b> (payment-service recorded a second settlement for a paid order),
 *     <b>DeliveriesDead</b> ({@code notifications.delivery} has DEAD rows) and
 *     <b>OrdersPastDeadline</b> (orders still waiting for payment {@code open-past-deadline} after their payment
 *     window or place hold ended: the expiry job is not closing them). Their state lives in
 *     {@code notifications.watchdog_alert}, shared by the replicas: the replica that claims a condition's row
 *     (a short lease, so no transaction stays open while it mails) reads, mails, then records the mail and gives
 *     the claim back, so a failed mail is retried on the next run and no two replicas mail the same thing. A
 *     lasting condition alerts when rows enter it while it is not active, reminds a cool-down after the last
 *     mail while it holds (saying how many are new), and says "resolved" once it is empty. DoubleSettlement is
 *     an event: each second settlement is mailed once (those within a cool-down of the last mail together),
 *     with no "resolved".</li>
 * </ul>
 */
@ApplicationScoped
public class WatchdogService {

    public static final String DATABASE_UNREACHABLE = "DatabaseUnreachable";
    public static final String SETTLED_NOT_PAID = "SettledNotPaid";
    public static final String DOUBLE_SETTLEMENT = "DoubleSettlement";
    public static final String DELIVERIES_DEAD = "DeliveriesDead";
    public static final String ORDERS_PAST_DEADLINE = "OrdersPastDeadline";

    private static final EventLog LOG = EventLog.of(WatchdogService.class, "watchdog");
    /** How long a claim on a condition lasts if its replica dies before giving it back. */
    private static final Duration CLAIM_LEASE = Duration.ofMinutes(5);
    /**
     * Second settlements are read only once they are this old, so a payment-service transaction that was still
     * open when the watchdog read cannot commit one behind its back.
     */
    private static final Duration EVENT_SETTLE = Duration.ofMinutes(1);

    private final Transactions transactions;
    private final WatchdogAlertRepository alerts;
    private final AlertMailer mailer;
    private final DatabaseProbe probe;
    private final Duration cooldown;
    private final Duration settledNotPaidAfter;
    private final Duration openPastDeadline;
    private final String replica = "watchdog:" + UUID.randomUUID();
    private final List<Watched> watched;

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

    /** A lasting condition's texts: its alert (for what is found now, a reminder or not) and its "resolved" mail. */
    private interface Texts {
        Alert alert(Finding found, boolean reminder, Instant since);

        Alert resolved(Instant since, Duration lasted);
    }

    /**
     * A condition decided in the database: {@code find} answers what is in it now given the last mail (or for an
     * event condition, the last watermark) and the run's time; empty while the producer's schema is not there.
     */
    private record Watched(String name, boolean event, Finder find, Texts texts) {
    }

    @FunctionalInterface
    private interface Finder {
        Uni<Optional<Finding>> find(SqlClient client, Instant after, Instant now);
    }

    public WatchdogService(Transactions transactions, WatchdogAlertRepository alerts, AlertMailer mailer, Pool pool,
                           NotificationConfig config) {
        this.transactions = transactions;
        this.alerts = alerts;
        this.mailer = mailer;
        this.probe = new DatabaseProbe(pool, config.watchdog().probeTimeout());
        this.cooldown = config.watchdog().cooldown();
        this.settledNotPaidAfter = config.watchdog().settledNotPaidAfter();
        this.openPastDeadline = config.watchdog().openPastDeadline();
        this.watched = List.of(
                new Watched(SETTLED_NOT_PAID, false, (client, after, now) -> alerts.settledNotPaid(client,
                        before(after, settledNotPaidAfter), now.minus(settledNotPaidAfter)), new SettledNotPaidTexts()),
                new Watched(DOUBLE_SETTLEMENT, true, alerts::doubleSettlements,
                        new DoubleSettlementTexts()),
                new Watched(DELIVERIES_DEAD, false, (client, after, now) -> alerts.deadDeliveries(client, after),
                        new DeliveriesDeadTexts()),
                new Watched(ORDERS_PAST_DEADLINE, false, (client, after, now) -> alerts.openPastDeadline(client,
                        before(after, openPastDeadline), now.minus(openPastDeadline)), new OrdersPastDeadlineTexts()));
    }

    /** A row entered a threshold condition once its time plus the threshold passed: new since a mail at {@code at}. */
    private static Instant before(Instant at, Duration threshold) {
        return at == null ? null : at.minus(threshold);
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
     * One run as if it were {@code now}, asking {@code database} whether the database is there. The cool-down and
     * the thresholds are measured against {@code now}, so a test can step over them without waiting.
     */
    public Uni<Outcome> check(Instant now, DatabaseProbe database) {
        return database.ping()
                .map(ignored -> Optional.<Throwable>empty())
                .onFailure().recoverWithItem(Optional::of)
                .flatMap(failure -> failure.isPresent()
                        ? databaseDown(now, failure.get()).map(sent -> new Outcome(false, sent))
                        : databaseUp(now).flatMap(recovered -> watchedConditions(now, 0, recovered))
                                .map(sent -> new Outcome(true, sent)));
    }

    private Uni<List<String>> watchedConditions(Instant now, int index, List<String> sentSoFar) {
        if (index == watched.size()) {
            return Uni.createFrom().item(sentSoFar);
        }
        return decide(watched.get(index), now)
                .flatMap(sent -> watchedConditions(now, index + 1, concat(sentSoFar, sent)));
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

    // ---- conditions decided in the database

    /** What to do about a condition: the mail, what it raised, and the state to record once it went out. */
    private record Decision(Alert alert, String sent, boolean active, Instant since, boolean reminder) {
    }

    private Uni<List<String>> decide(Watched condition, Instant now) {
        return transactions.inStatement(client -> alerts.claim(client, condition.name(), replica, CLAIM_LEASE))
                .flatMap(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(List.<String>of()); // another replica is deciding right now
                    }
                    AlertState state = claimed.get();
                    return condition.event() ? decideEvent(condition, state, now) : decideLasting(condition, state, now);
                });
    }

    private Uni<List<String>> decideLasting(Watched condition, AlertState state, Instant now) {
        return transactions.inStatement(client -> condition.find().find(client, state.lastSentAt(), now))
                .flatMap(found -> found.flatMap(finding -> lasting(condition, state, finding, now))
                        .map(decision -> mailAndRecord(condition, decision, now, decision.since()))
                        .orElseGet(() -> release(condition)));
    }

    private Optional<Decision> lasting(Watched condition, AlertState state, Finding found, Instant now) {
        if (found.count() == 0) {
            if (!state.active()) {
                return Optional.empty();
            }
            Instant since = state.since() == null ? now : state.since();
            return Optional.of(new Decision(condition.texts().resolved(since, Duration.between(since, now)),
                    condition.name() + "_RESOLVED", false, since, false));
        }
        boolean reminder = state.active();
        if (reminder && state.lastSentAt() != null && now.isBefore(state.lastSentAt().plus(cooldown))) {
            return Optional.empty();
        }
        Instant since = reminder && state.since() != null ? state.since()
                : found.oldest() == null ? now : found.oldest();
        return Optional.of(new Decision(condition.texts().alert(found, reminder, since), condition.name(), true, since,
                reminder));
    }

    /**
     * An event condition keeps in {@code since} how far it has read: events up to then were mailed. New ones are
     * mailed at once, or together after the cool-down when the last mail was recent.
     */
    private Uni<List<String>> decideEvent(Watched condition, AlertState state, Instant now) {
        Instant upTo = now.minus(EVENT_SETTLE);
        return transactions.inStatement(client -> condition.find().find(client, state.since(), upTo))
                .flatMap(found -> {
                    boolean due = state.lastSentAt() == null || !now.isBefore(state.lastSentAt().plus(cooldown));
                    if (found.isEmpty() || found.get().count() == 0 || !due) {
                        return release(condition);
                    }
                    Finding events = found.get();
                    Decision decision = new Decision(condition.texts().alert(events, false, events.oldest()),
                            condition.name(), false, upTo, false);
                    return mailAndRecord(condition, decision, now, upTo);
                });
    }

    private Uni<List<String>> mailAndRecord(Watched condition, Decision decision, Instant now, Instant since) {
        return mail(decision.alert(), decision.sent(), decision.reminder())
                .flatMap(sent -> {
                    if (!sent) {
                        return release(condition); // nothing recorded: the next run tries again
                    }
                    return transactions.inStatement(client -> alerts.record(client, condition.name(), replica,
                                    decision.active(), since, now))
                            .invoke(recorded -> {
                                if (!recorded) {
                                    LOG.warn("WATCHDOG_CLAIM_LOST", null, "%s was mailed but its claim had lapsed: "
                                            + "another replica may mail it again", condition.name());
                                }
                            })
                            .replaceWith(List.of(decision.sent()));
                });
    }

    private Uni<List<String>> release(Watched condition) {
        return transactions.inStatement(client -> alerts.release(client, condition.name(), replica))
                .replaceWith(List.<String>of());
    }

    private String orders(Finding found) {
        return found.orderIds().isEmpty() ? "" : " Orders (oldest first): " + String.join(", ", found.orderIds())
                + (found.count() > found.orderIds().size() ? ", …" : "") + ".";
    }

    private String newSince(Finding found, boolean reminder) {
        return reminder ? " " + found.newer() + " of them since the last mail." : "";
    }

    private final class SettledNotPaidTexts implements Texts {
        @Override
        public Alert alert(Finding found, boolean reminder, Instant since) {
            return new Alert("P0", SETTLED_NOT_PAID, (reminder ? "Paid, order not PAID (still " : "Paid, order not PAID (")
                    + found.count() + ")",
                    found.count() + " payments have been SETTLED in payment-service for more than "
                            + AlertMailer.duration(settledNotPaidAfter) + " while their order is not PAID in "
                            + "order-service: these customers paid and have no course access and no confirmation."
                            + newSince(found, reminder) + orders(found),
                    since,
                    List.of("Find the payment results that did not arrive: GET /admin/deliveries?status=DEAD on "
                                    + "notification-service (channel INTERNAL), and the order's log lines by order_id.",
                            "Check that order-service is up and takes notification-service's internal token "
                                    + "(LUNAS_INTERNAL_TOKEN); fix it, then requeue: POST /admin/deliveries/{id}/requeue.",
                            "Tell support which customers wait; once an order turns PAID they get access and mail."),
                    null);
        }

        @Override
        public Alert resolved(Instant since, Duration lasted) {
            return new Alert("resolved", SETTLED_NOT_PAID, "Every settled payment's order is PAID",
                    "No payment is SETTLED without its order PAID any more.", since,
                    List.of("Check with support that the customers who waited have their access."), lasted);
        }
    }

    private final class DoubleSettlementTexts implements Texts {
        @Override
        public Alert alert(Finding found, boolean reminder, Instant since) {
            return new Alert("P0", DOUBLE_SETTLEMENT, "Second settlement for a paid order (" + found.count() + ")",
                    "payment-service recorded " + found.count() + " second settlements for orders that were already "
                            + "paid: these customers paid twice." + orders(found),
                    since,
                    List.of("Confirm each in the Midtrans dashboard (two transactions for one order) and in "
                                    + "payments.payment_audit (action DOUBLE_SETTLEMENT).",
                            "Refund the second payment in the Midtrans dashboard and tell the customer.",
                            "Nothing needs doing in Lunas: the order stays PAID once."),
                    null);
        }

        @Override
        public Alert resolved(Instant since, Duration lasted) {
            throw new UnsupportedOperationException("an event has no resolved notice");
        }
    }

    private final class DeliveriesDeadTexts implements Texts {
        @Override
        public Alert alert(Finding found, boolean reminder, Instant since) {
            String what = found.count() + " deliveries are DEAD in notifications.delivery: they will not be sent again "
                    + "by themselves. Customers may be missing payment instructions or course access, or paid orders "
                    + "may not have been told they are paid (channel INTERNAL)."
                    + (reminder ? " " + found.newer() + " of them died since the last mail." : "") + orders(found);
            return new Alert("P0", DELIVERIES_DEAD,
                    reminder ? "Deliveries DEAD (still " + found.count() + ")" : "Deliveries DEAD (" + found.count() + ")",
                    what, since,
                    List.of("List them with their error history: GET /admin/deliveries?status=DEAD (admin token).",
                            "Fix the cause (SMTP or WhatsApp credentials, a wrong address, order-service refusing).",
                            "Requeue them: POST /admin/deliveries/{id}/requeue, or POST /admin/deliveries/requeue"
                                    + "?channel=... for up to 1,000 at once."),
                    null);
        }

        @Override
        public Alert resolved(Instant since, Duration lasted) {
            return new Alert("resolved", DELIVERIES_DEAD, "No DEAD deliveries left",
                    "notifications.delivery has no DEAD rows any more: they were requeued (and sent) or removed.",
                    since, List.of("Nothing to do; check that the requeued messages were sent "
                            + "(GET /admin/deliveries?status=DEAD stays empty)."), lasted);
        }
    }

    private final class OrdersPastDeadlineTexts implements Texts {
        @Override
        public Alert alert(Finding found, boolean reminder, Instant since) {
            return new Alert("P1", ORDERS_PAST_DEADLINE,
                    (reminder ? "Orders open past their deadline (still " : "Orders open past their deadline (")
                            + found.count() + ")",
                    found.count() + " orders still wait for payment more than " + AlertMailer.duration(openPastDeadline)
                            + " after their payment window or place hold ended: order-service's expiry job is not "
                            + "closing them, so their limited places stay taken and their customers are not told."
                            + newSince(found, reminder) + orders(found),
                    since,
                    List.of("Is order-service's scheduler running? scheduler_alive and job_execution_time_seconds"
                                    + "{job_name=\"order-expiry\"}, and its JOB_FAILED log lines.",
                            "The expiry job asks payment-service first and leaves an order open while it cannot: is "
                                    + "payment-service up and reachable from order-service?",
                            "Once the cause is fixed the next expiry runs close them; nothing to requeue."),
                    null);
        }

        @Override
        public Alert resolved(Instant since, Duration lasted) {
            return new Alert("resolved", ORDERS_PAST_DEADLINE, "No order open past its deadline",
                    "Every order whose payment window ended is closed again.", since,
                    List.of("Nothing to do; find out why the expiry job stalled."), lasted);
        }
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
