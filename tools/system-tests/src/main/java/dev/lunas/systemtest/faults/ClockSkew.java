package dev.lunas.systemtest.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.midtrans.LedgerEntry;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.MidtransNotifications;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.EventLedger;
import dev.lunas.systemtest.ledger.Reconciliation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * T7: clock skew. notification-service and payment-service run under libfaketime ten minutes ahead of
 * PostgreSQL, then ten minutes behind. Leases are computed and compared on the database clock, so a worker
 * killed mid-drain is rescued neither early (no rescue of a live worker's lease, nothing sooner than its lease
 * allows) nor late, and makes no more duplicates than it had in flight, as in T3; payment-service settles each
 * order once whatever the notifications' order, by its state machine, not by timestamps. Needs the
 * {@code faketime} package ({@code apt-get install -y faketime}); without it the scenario is skipped.
 */
final class ClockSkew extends Scenario {

    private static final List<Path> LIBFAKETIME = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/faketime/libfaketime.so.1"),
            Path.of("/usr/local/lib/faketime/libfaketime.so.1"));
    private static final Duration SKEW = Duration.ofMinutes(10);
    private static final Duration SINK_LATENCY = Duration.ofMillis(50);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final String PACKAGE = "ai-movie-course";

    ClockSkew() {
        super("T7", "Clock skew (libfaketime ±10 min)");
    }

    @Override
    public Map<Service, Map<String, String>> configuration(Scale scale) {
        return libfaketime().map(library -> skewed(scale, library, SKEW)).orElse(Map.of());
    }

    private static Map<Service, Map<String, String>> skewed(Scale scale, Path library, Duration skew) {
        Map<String, String> faked = new HashMap<>();
        faked.put("LD_PRELOAD", library.toString());
        faked.put("FAKETIME", (skew.isNegative() ? "-" : "+") + skew.abs().toMinutes() + "m");
        // the monotonic clock moves by the same offset, so durations stay right; left alone (libfaketime 0.9.10's
        // FAKETIME_DONT_FAKE_MONOTONIC=1) every timed wait of the JVM returns at once and all its threads spin
        faked.put("FAKETIME_DONT_FAKE_MONOTONIC", "0");
        Map<String, String> notification = new HashMap<>(faked);
        if (scale != Scale.FULL) {
            notification.putAll(ShortLeases.VARIABLES);
        }
        return Map.of(Service.NOTIFICATION, notification, Service.PAYMENT, faked);
    }

    static Optional<Path> libfaketime() {
        return LIBFAKETIME.stream().filter(Files::isRegularFile).findFirst();
    }

    @Override
    public void run(ScenarioRun run) {
        Path library = libfaketime().orElse(null);
        if (library == null) {
            run.skip("faketime not installed (apt-get install -y faketime)");
        }
        SystemUnderTest system = run.system();
        Duration lease = run.scale() == Scale.FULL ? Duration.ofMinutes(2) : ShortLeases.LEASE;
        run.figure("JWT leeway", "not applicable: Lunas verifies no JWTs (its service and admin tokens are static bearer secrets)");
        for (Duration skew : List.of(SKEW, SKEW.negated())) {
            String label = (skew.isNegative() ? "−" : "+") + skew.abs().toMinutes() + " min: ";
            Map<Service, Map<String, String>> configuration = skewed(run.scale(), library, skew);
            configuration.forEach(system::reconfigure);
            clocksSkewed(run, label, system, skew);
            workerKilled(run, label, system, lease);
            webhooks(run, label, system);
        }
    }

    /** The skew really applies: the services' log timestamps run ahead of (or behind) this machine's clock. */
    private static void clocksSkewed(ScenarioRun run, String label, SystemUnderTest system, Duration skew) {
        List<String> seen = new ArrayList<>();
        boolean all = true;
        for (Service service : List.of(Service.NOTIFICATION, Service.PAYMENT)) {
            Instant now = Instant.now();
            Optional<Instant> logged = lastLogTime(system, service);
            Duration offset = logged.map(at -> Duration.between(now, at)).orElse(Duration.ZERO);
            all &= logged.isPresent() && offset.minus(skew).abs().compareTo(Duration.ofMinutes(1)) < 0;
            seen.add(String.format(Locale.ROOT, "%s %+d s", service, offset.toSeconds()));
        }
        run.check(label + "the services' clocks are skewed (their last log line against this machine)", all, "%s", seen);
    }

    private static Optional<Instant> lastLogTime(SystemUnderTest system, Service service) {
        List<JsonNode> records = system.logs().records().stream()
                .filter(record -> service.moduleName().equals(record.path("service").asText())).toList();
        if (records.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(OffsetDateTime.parse(records.get(records.size() - 1).path("timestamp").asText()).toInstant());
    }

    /** T3 in small: mails draining, one kill -9, the rescue judged on the database clock. */
    private static void workerKilled(ScenarioRun run, String label, SystemUnderTest system, Duration lease) {
        Db db = new Db(system);
        int messages = run.pick(200, 500, 2_000);
        system.smtpProxy().mailReplyLatency(SINK_LATENCY);
        EventLedger ledger = new EventLedger(system);
        List<UUID> eventIds = ledger.publishExpiredOrders(messages);
        run.await(Duration.ofSeconds(30), Duration.ofMillis(100), () -> db.count("select count(*) from notifications.delivery"
                + " where event_id = any(?) and status = 'SENT'", eventIds) >= messages / 10);
        String worker = DeliveryWorkers.current(system);
        system.kill(Service.NOTIFICATION);
        Instant killedAt = databaseNow(db);
        long inFlight = DeliveryWorkers.sending(db, worker);
        run.progress("%skill -9 with %d deliveries in flight", label, inFlight);
        system.start(Service.NOTIFICATION);
        boolean drained = run.await(lease.plus(Duration.ofMinutes(2)), Duration.ofSeconds(1), () -> db.count(
                "select count(*) from notifications.delivery where event_id = any(?) and status = 'SENT'", eventIds) == messages);
        run.check(label + "every mail SENT", drained, "%d mails", messages);

        List<List<Object>> rescues = db.rows("select (e->>'at')::timestamptz, e->>'error' from notifications.delivery,"
                + " jsonb_array_elements(errors) e where event_id = any(?) and e->>'error' like 'lease expired%'", eventIds);
        long foreign = rescues.stream().filter(row -> !String.valueOf(row.get(1)).contains(worker)).count();
        Instant earliestAllowed = killedAt.plus(lease).minus(SEND_TIMEOUT).minusSeconds(2);
        long early = rescues.stream().filter(row -> ((Timestamp) row.get(0)).toInstant().isBefore(earliestAllowed)).count();
        run.check(label + "no premature lease expiry or rescue (database clock)", foreign == 0 && early == 0
                        && leaseLost(system) == 0,
                "%d rescues, all of the killed worker's leases: %s; sooner than its lease allows: %d; leases lost by a live worker: %d",
                rescues.size(), foreign == 0, early, leaseLost(system));
        run.ledger(label + messages + " mails, one kill -9", ledger::reconcile, (int) inFlight,
                "deliveries in flight at the kill (T3's bound: no extra duplicates)", Duration.ofMinutes(1));
    }

    /** notification-service's NOTIFICATION_LEASE_LOST warnings so far: a live worker found its lease gone. */
    private static long leaseLost(SystemUnderTest system) {
        return system.logs().records().stream()
                .filter(record -> "NOTIFICATION_LEASE_LOST".equals(record.path("mdc").path("event_type").asText())).count();
    }

    private static Instant databaseNow(Db db) {
        return ((Timestamp) db.rows("select now()").get(0).get(0)).toInstant();
    }

    /**
     * Settlements, copies and a late pending under the skewed payment-service: each order PAID once, its
     * inbox holding each fact once, by the state machine whatever the notification timestamps say.
     */
    private static void webhooks(ScenarioRun run, String label, SystemUnderTest system) {
        Db db = new Db(system);
        int orders = run.pick(5, 10, 50);
        CheckoutLedger ledger = new CheckoutLedger(system);
        List<String> ids = Parallel.run(orders, 4, i -> ledger.checkout(PACKAGE)).stream()
                .filter(e -> e.status() == 201).map(e -> e.orderId().toString()).toList();
        // payment-service has just been restarted under the skew: a checkout may have come too early for a token
        PayAgain.degradedCheckouts(run, system, ledger);
        Parallel.run(ids.size(), 4, i -> {
            LedgerEntry transaction = system.simulator().decide(ids.get(i), Outcome.SETTLEMENT);
            system.simulator().resend(ids.get(i), 5);
            return MidtransWebhook.deliver(system, MidtransNotifications.signed(transaction, "pending", system.midtransServerKey())
                    .toString());
        });
        boolean paid = run.await(Duration.ofMinutes(2), Duration.ofSeconds(1), () -> db.count(
                "select count(*) from orders.customer_order where id::text = any(?) and status = 'PAID'", ids) == ids.size());
        long inbox = db.count("select count(*) from payments.payment_event where order_id = any(?)", ids);
        run.check(label + "settlements applied once by the state machine", paid && ids.size() == orders && inbox == 2L * orders,
                "%d of %d orders PAID, %d inbox rows (pending + settlement each)", db.count(
                        "select count(*) from orders.customer_order where id::text = any(?) and status = 'PAID'", ids), orders, inbox);
        run.ledger(label + orders + " orders", () -> Reconciliation.of(system, ledger), 0, "exactly once", Duration.ofMinutes(1));
    }
}
