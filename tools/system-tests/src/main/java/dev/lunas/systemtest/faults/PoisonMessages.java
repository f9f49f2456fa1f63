package dev.lunas.systemtest.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.Customer;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.EventLedger.Dead;
import dev.lunas.systemtest.ledger.EventLedger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * T8: poison messages among good ones. Mails to an address no server takes, WhatsApp messages to a number that
 * is not one, a payload a template cannot render, a payload the relay cannot even read, a 10 MB payload, and
 * mails whose SMTP transaction never finishes (the send outlives its timeout). Permanent failures end DEAD
 * after one attempt, transient ones after the configured attempts, each with its last error; the good mails
 * keep at least 90 % of their throughput; once an operator fixes the cause, the admin API's requeue (refused
 * without the admin token, audited) delivers each once.
 */
final class PoisonMessages extends Scenario {

    private static final Http HTTP = new Http(Duration.ofSeconds(30));
    private static final Duration SINK_LATENCY = Duration.ofMillis(20);
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(3);
    private static final String SLOW_RECIPIENT = "lambat-";
    private static final int TEN_MIB = 10 * 1024 * 1024;

    /** The poison kinds and the messages each is meant to kill. */
    private enum Kind {
        INVALID_EMAIL, INVALID_PHONE, UNRENDERABLE, UNREADABLE, LARGE, SLOW
    }

    PoisonMessages() {
        super("T8", "Poison messages");
    }

    @Override
    public Map<Service, Map<String, String>> configuration(Scale scale) {
        // a short retry schedule and budget, so that "DEAD after the last attempt" happens within the scenario
        Map<String, String> variables = new HashMap<>(ShortLeases.VARIABLES);
        variables.put("LUNAS_NOTIFICATION_RETRY_BASE", "1s");
        variables.put("LUNAS_NOTIFICATION_RETRY_CAP", "2s");
        variables.put("LUNAS_NOTIFICATION_EMAIL_MAX_ATTEMPTS", String.valueOf(MAX_ATTEMPTS));
        variables.put("LUNAS_NOTIFICATION_WHATSAPP_MAX_ATTEMPTS", String.valueOf(MAX_ATTEMPTS));
        variables.put("LUNAS_NOTIFICATION_EMAIL_TIMEOUT", SEND_TIMEOUT.toSeconds() + "s");
        // once only the hanging mails are left, their timeouts open the mail breaker: a short delay lets their
        // last attempts happen within the scenario instead of one probe a minute
        variables.put("LUNAS_NOTIFICATION_EMAIL_BREAKER_DELAY", "5s");
        return Map.of(Service.NOTIFICATION, variables);
    }

    @Override
    public void run(ScenarioRun run) {
        SystemUnderTest system = run.system();
        Db db = new Db(system);
        // enough good mails that each throughput window lasts seconds, not a scheduling hiccup
        int good = run.pick(100, 1_000, 2_000);
        int poisonEach = run.pick(2, 5, 10);
        run.figure("good mails (baseline, then with the poison)", good);
        run.figure("poison messages of each kind", poisonEach + " (the 10 MB one: 1)");
        run.figure("retry budget / send timeout", MAX_ATTEMPTS + " attempts, 1–2 s apart / " + SEND_TIMEOUT.toSeconds() + " s");
        system.smtpProxy().mailReplyLatency(SINK_LATENCY);
        system.smtpProxy().hangMailsTo(recipient -> recipient.startsWith(SLOW_RECIPIENT), SLOW_RECIPIENT + "*");
        EventLedger ledger = new EventLedger(system);

        double baseline = goodMails(run, system, db, ledger, good, "baseline");
        Map<Kind, List<UUID>> poison = poison(system, ledger, poisonEach);
        double withPoison = goodMails(run, system, db, ledger, good, "with the poison");
        run.check("the good mails kept ≥ 90 % of their throughput during the poison flood", withPoison >= 0.9 * baseline,
                "%.1f mails/s against %.1f without poison (%.0f %%)", withPoison, baseline, 100 * withPoison / baseline);

        List<UUID> all = poison.values().stream().flatMap(List::stream).toList();
        run.await(Duration.ofMinutes(2), Duration.ofSeconds(1), () -> db.count("select count(*) from notifications.delivery"
                + " where event_id = any(?) and status in ('PENDING', 'SENDING', 'RETRY')", all) == 0);
        Set<Dead> dead = judgeDeadLetters(run, db, poison);
        run.ledger("good and poison messages, before the requeue", () -> ledger.reconcile(dead), 0,
                "exactly once, the poison DEAD", Duration.ofMinutes(1));

        Instant fixed = Instant.now();
        requeue(run, system, db, ledger, poison);
        run.ledger("every message after the operator's fixes and requeue", ledger::reconcile, 0, "exactly once",
                Duration.ofMinutes(2));
        run.figure("duplicated mails, timed from the operator's fix", DuplicateTimes.after(system,
                ledger.events().stream().map(event -> event.eventId() + "." + (event.eventType().equals("OrderExpired")
                        ? "order-expired" : "payment-instructions")).collect(Collectors.toSet()), fixed));
    }

    /** Publishes good mails and returns their throughput: mails per second from publishing until all are sent. */
    private static double goodMails(ScenarioRun run, SystemUnderTest system, Db db, EventLedger ledger, int count,
                                    String label) {
        Instant started = Instant.now();
        List<UUID> ids = ledger.publishExpiredOrders(count);
        boolean sent = run.await(Duration.ofMinutes(3), Duration.ofMillis(250), () -> db.count("select count(*) from"
                + " notifications.delivery where event_id = any(?) and status = 'SENT'", ids) == count);
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        double rate = sent ? count / seconds : 0;
        run.figure("good mails " + label, String.format(Locale.ROOT, "%d in %.1f s = %.1f mails/s%s", count, seconds, rate,
                sent ? "" : " (not all sent)"));
        return rate;
    }

    private static Map<Kind, List<UUID>> poison(SystemUnderTest system, EventLedger ledger, int each) {
        Map<Kind, List<UUID>> poison = new HashMap<>();
        for (Kind kind : Kind.values()) {
            int count = kind == Kind.LARGE ? 1 : each;
            List<Customer> customers = new ArrayList<>();
            List<ObjectNode> payloads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Customer customer = system.customers().next();
                customers.add(customer);
                payloads.add(payload(kind, customer, i));
            }
            String type = kind == Kind.LARGE || kind == Kind.SLOW ? "OrderExpired" : "PaymentRequested";
            poison.put(kind, ledger.publish("orders", type, payloads, customers).stream().map(EventLedger.Event::eventId).toList());
        }
        return poison;
    }

    private static ObjectNode payload(Kind kind, Customer customer, int index) {
        UUID orderId = UUID.randomUUID();
        return switch (kind) {
            case INVALID_EMAIL -> withCustomerField(EventLedger.paymentInstructions(orderId, customer), "email", "bukan-alamat-email");
            case INVALID_PHONE -> withCustomerField(EventLedger.paymentInstructions(orderId, customer), "phone", "+62123");
            case UNRENDERABLE -> {
                ObjectNode payload = EventLedger.paymentInstructions(orderId, customer);
                payload.remove("customer");
                yield payload;
            }
            case UNREADABLE -> EventLedger.paymentInstructions(orderId, customer).put("amount", "banyak");
            case LARGE -> EventLedger.orderExpired(orderId, customer).put("lampiran", "x".repeat(TEN_MIB));
            case SLOW -> withCustomerField(EventLedger.orderExpired(orderId, customer), "email",
                    SLOW_RECIPIENT + index + "-" + orderId.toString().substring(0, 8) + "@contoh.co.id");
        };
    }

    private static ObjectNode withCustomerField(ObjectNode payload, String field, String value) {
        ((ObjectNode) payload.get("customer")).put(field, value);
        return payload;
    }

    /** Checks every poison message's end, and returns the messages the ledger must find DEAD. */
    private static Set<Dead> judgeDeadLetters(ScenarioRun run, Db db, Map<Kind, List<UUID>> poison) {
        Set<Dead> dead = new HashSet<>();
        Function<Kind, List<List<Object>>> rows = kind -> db.rows("select event_id, channel, template, status, attempts,"
                + " last_error from notifications.delivery where event_id = any(?) order by event_id, channel", poison.get(kind));
        permanent(run, "an invalid email address", rows.apply(Kind.INVALID_EMAIL), "EMAIL", dead);
        permanent(run, "an invalid phone number", rows.apply(Kind.INVALID_PHONE), "WHATSAPP", dead);
        permanent(run, "a payload without the customer the templates need", rows.apply(Kind.UNRENDERABLE), null, dead);

        List<List<Object>> slow = rows.apply(Kind.SLOW);
        boolean transientDead = slow.size() == poison.get(Kind.SLOW).size() && slow.stream().allMatch(row ->
                "DEAD".equals(row.get(3)) && ((Number) row.get(4)).intValue() == MAX_ATTEMPTS && row.get(5) != null);
        run.check("a send that outlives the SMTP timeout: DEAD after " + MAX_ATTEMPTS + " attempts with its last error",
                transientDead, "%s", summary(slow));
        slow.forEach(row -> dead.add(new Dead((UUID) row.get(0), (String) row.get(1), (String) row.get(2))));

        List<List<Object>> unreadable = db.rows("select event_id, status, last_error from orders.outbox where event_id = any(?)",
                poison.get(Kind.UNREADABLE));
        run.check("a payload the relay cannot read: the outbox row DEAD with its error, no delivery made",
                unreadable.stream().allMatch(row -> "DEAD".equals(row.get(1)) && String.valueOf(row.get(2)).contains("amount"))
                        && db.count("select count(*) from notifications.delivery where event_id = any(?)",
                        poison.get(Kind.UNREADABLE)) == 0,
                "%s", unreadable.stream().map(row -> row.get(1) + ": " + row.get(2)).distinct().toList());
        poison.get(Kind.UNREADABLE).forEach(id -> dead.add(Dead.outboxRow(id)));

        // a 10 MB payload may be sent, or refused with a reason: by the channel (its delivery DEAD) or already by the
        // relay, whose reader takes no string that long (the outbox row DEAD, no delivery made)
        List<List<Object>> large = rows.apply(Kind.LARGE);
        List<List<Object>> largeOutbox = db.rows("select event_id, status, last_error from orders.outbox where event_id = any(?)",
                poison.get(Kind.LARGE));
        boolean refusedByRelay = large.isEmpty() && !largeOutbox.isEmpty()
                && largeOutbox.stream().allMatch(row -> "DEAD".equals(row.get(1)) && row.get(2) != null);
        boolean endedInDelivery = !large.isEmpty() && large.stream().allMatch(row ->
                "SENT".equals(row.get(3)) || "DEAD".equals(row.get(3)) && row.get(5) != null);
        run.check("a 10 MB payload ends SENT or DEAD with a reason, and holds nothing up", refusedByRelay || endedInDelivery,
                "%s", refusedByRelay ? largeOutbox.stream().map(row -> "outbox " + row.get(1) + ": " + row.get(2)).distinct().toList()
                        : summary(large));
        large.stream().filter(row -> "DEAD".equals(row.get(3)))
                .forEach(row -> dead.add(new Dead((UUID) row.get(0), (String) row.get(1), (String) row.get(2))));
        if (refusedByRelay) {
            poison.get(Kind.LARGE).forEach(id -> dead.add(Dead.outboxRow(id)));
        }
        return dead;
    }

    /** DEAD after exactly one attempt with a last error (channel null: every channel of the event). */
    private static void permanent(ScenarioRun run, String what, List<List<Object>> rows, String channel, Set<Dead> dead) {
        List<List<Object>> poisoned = rows.stream().filter(row -> channel == null || channel.equals(row.get(1))).toList();
        boolean ok = !poisoned.isEmpty() && poisoned.stream().allMatch(row -> "DEAD".equals(row.get(3))
                && ((Number) row.get(4)).intValue() == 1 && row.get(5) != null);
        boolean othersSent = rows.stream().filter(row -> !poisoned.contains(row)).allMatch(row -> "SENT".equals(row.get(3)));
        run.check(what + ": DEAD after 1 attempt with its error, the event's other messages sent", ok && othersSent,
                "%s", summary(rows));
        poisoned.forEach(row -> dead.add(new Dead((UUID) row.get(0), (String) row.get(1), (String) row.get(2))));
    }

    private static String summary(List<List<Object>> rows) {
        Map<String, Integer> counts = new TreeMap<>();
        for (List<Object> row : rows) {
            String error = row.get(5) == null ? "" : ": " + String.valueOf(row.get(5)).replaceAll("[0-9a-f-]{36}", "…");
            counts.merge(row.get(1) + " " + row.get(3) + " after " + row.get(4) + error, 1, Integer::sum);
        }
        return counts.toString();
    }

    /**
     * The operator's part: fix what made each message fail (the contact data in the delivery, the outbox payload,
     * the mail server), then requeue through the admin API, which refuses anyone without the admin token and
     * audits every requeue.
     */
    private static void requeue(ScenarioRun run, SystemUnderTest system, Db db, EventLedger ledger, Map<Kind, List<UUID>> poison) {
        run.progress("the operator fixes the causes and requeues");
        Map<UUID, Customer> customers = new HashMap<>();
        ledger.events().forEach(event -> customers.put(event.eventId(), event.customer()));
        for (UUID id : poison.get(Kind.INVALID_EMAIL)) {
            db.update("update notifications.delivery set payload = jsonb_set(payload, '{customer,email}', to_jsonb(?::text))"
                    + " where event_id = ?", customers.get(id).email(), id);
        }
        for (UUID id : poison.get(Kind.INVALID_PHONE)) {
            db.update("update notifications.delivery set payload = jsonb_set(payload, '{customer,phone}', to_jsonb(?::text))"
                    + " where event_id = ?", customers.get(id).e164(), id);
        }
        for (UUID id : poison.get(Kind.UNRENDERABLE)) {
            Customer customer = customers.get(id);
            db.update("update notifications.delivery set payload = payload || jsonb_build_object('customer',"
                    + " jsonb_build_object('name', ?::text, 'email', ?::text, 'phone', ?::text)) where event_id = ?",
                    customer.name(), customer.email(), customer.e164(), id);
        }
        for (UUID id : poison.get(Kind.UNREADABLE)) {
            db.update("update orders.outbox set payload = jsonb_set(payload, '{amount}', '99000') where event_id = ?", id);
        }
        List<UUID> deadOutbox = new ArrayList<>(poison.get(Kind.UNREADABLE));
        for (UUID id : poison.get(Kind.LARGE)) {
            if (db.update("update orders.outbox set payload = payload - 'lampiran' where event_id = ? and status = 'DEAD'", id) > 0) {
                deadOutbox.add(id);
            }
        }
        system.smtpProxy().stopHangingMails();

        URI admin = system.baseUrl(Service.NOTIFICATION);
        List<Long> deadDeliveries = db.rows("select id from notifications.delivery where event_id = any(?) and status = 'DEAD'",
                poison.values().stream().flatMap(List::stream).toList()).stream().map(row -> ((Number) row.get(0)).longValue()).toList();
        URI first = admin.resolve("/admin/deliveries/" + deadDeliveries.get(0) + "/requeue");
        int anonymous = HTTP.post(first, null, null).statusCode();
        int serviceToken = HTTP.post(first, null, null, Http.bearer(system.relayToken())).statusCode();
        run.check("requeue refused without the admin token", anonymous == 401 && serviceToken == 403,
                "no token %d, the relay's token %d", anonymous, serviceToken);
        long auditBefore = db.count("select count(*) from notifications.admin_audit");
        List<Integer> answers = new ArrayList<>();
        for (long delivery : deadDeliveries) {
            answers.add(HTTP.post(admin.resolve("/admin/deliveries/" + delivery + "/requeue"), null, null, Http.bearer(system.adminToken())).statusCode());
        }
        for (UUID id : deadOutbox) {
            answers.add(HTTP.post(admin.resolve("/admin/outbox/orders/" + id + "/requeue"), null, null, Http.bearer(system.adminToken())).statusCode());
        }
        long audited = db.count("select count(*) from notifications.admin_audit") - auditBefore;
        run.check("every requeue accepted and audited", answers.stream().allMatch(status -> status == 200)
                        && audited == answers.size(),
                "%d requeues (%d deliveries, %d outbox rows), answers %s, audit rows %d", answers.size(), deadDeliveries.size(),
                deadOutbox.size(), new TreeSet<>(answers), audited);
    }
}
