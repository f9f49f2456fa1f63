package dev.lunas.systemtest.faults;

import dev.lunas.launcher.midtrans.Delivery;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.launcher.run.EmbeddedDatabase.StopMode;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.Reconciliation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * T4: PostgreSQL restarts under load. Checkouts and Midtrans notifications arrive at a steady rate while the
 * database is restarted twice, {@code -m fast} and then {@code -m immediate} (a crash: the next start replays
 * the WAL). Clients retry what failed with the same Idempotency-Key, Midtrans retries its notifications. Every
 * checkout answered 2xx is in the database once; the services recover without a restart (liveness never
 * fails, readiness comes back within 30 s of the database); every outbox row committed before a crash is
 * delivered.
 */
final class PostgresRestart extends Scenario {

    private static final String PACKAGE = "ai-movie-course";
    private static final Duration READY_AGAIN_WITHIN = Duration.ofSeconds(30);

    private record Restart(StopMode mode, Instant down, Instant up, Set<UUID> eventsBefore) {
    }

    PostgresRestart() {
        super("T4", "PostgreSQL restart under load");
    }

    @Override
    public Map<Service, Map<String, String>> configuration(Scale scale) {
        return scale == Scale.FULL ? Map.of() : Map.of(Service.NOTIFICATION, ShortLeases.VARIABLES);
    }

    @Override
    public void run(ScenarioRun run) throws Exception {
        SystemUnderTest system = run.system();
        if (!system.database().embedded()) {
            run.skip("the database is external (LUNAS_TEST_DATABASE_URL): the harness cannot restart it");
        }
        Db db = new Db(system);
        double checkoutRate = run.pick(5.0, 10.0, 30.0);
        double notificationRate = run.pick(2.0, 6.0, 10.0);
        Duration length = run.pick(Duration.ofSeconds(30), Duration.ofSeconds(40), Duration.ofSeconds(120));
        Duration downtime = Duration.ofSeconds(5);
        run.figure("load", String.format(Locale.ROOT, "%.0f checkouts/s and %.0f Midtrans notifications/s for %d s",
                checkoutRate, notificationRate, length.toSeconds()));
        run.figure("database down per restart", downtime.toSeconds() + " s");

        CheckoutLedger ledger = new CheckoutLedger(system);
        CheckoutClient client = new CheckoutClient(ledger, Duration.ofMinutes(2));
        Map<Service, Long> pids = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            pids.put(service, system.process(service).pid().orElseThrow());
        }
        List<Future<CheckoutClient.Outcome>> checkouts = new CopyOnWriteArrayList<>();
        ConcurrentLinkedQueue<String> payable = new ConcurrentLinkedQueue<>();
        Set<String> settled = ConcurrentHashMap.newKeySet();
        List<String> decideFailures = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(200);
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
        List<Restart> restarts = new ArrayList<>();
        Instant end = Instant.now().plus(length);
        try (HealthWatch health = new HealthWatch(system, Duration.ofMillis(250))) {
            pacer.scheduleAtFixedRate(() -> {
                if (Instant.now().isBefore(end)) {
                    checkouts.add(clients.submit(() -> {
                        CheckoutClient.Outcome outcome = client.checkout(PACKAGE, system.customers().next());
                        if (outcome.created() && outcome.last().paymentUrl().isPresent()) {
                            payable.add(outcome.last().orderId().toString());
                        }
                        return outcome;
                    }));
                }
            }, 0, (long) (1_000_000 / checkoutRate), TimeUnit.MICROSECONDS);
            // each payment is two notifications: pending, then settlement
            pacer.scheduleAtFixedRate(() -> {
                String orderId = payable.poll();
                if (orderId != null && Instant.now().isBefore(end)) {
                    try {
                        system.simulator().decide(orderId, Outcome.SETTLEMENT);
                        settled.add(orderId);
                    } catch (RuntimeException e) {
                        decideFailures.add(orderId + ": " + e.getMessage());
                    }
                }
            }, 500, (long) (2_000_000 / notificationRate), TimeUnit.MICROSECONDS);

            run.progress("load running; restarts at %d s (fast) and %d s (immediate)", length.toSeconds() / 4,
                    length.toSeconds() * 3 / 5);
            ScenarioRun.sleep(length.dividedBy(4));
            restarts.add(restart(run, system, db, ledger, StopMode.FAST, downtime));
            ScenarioRun.sleep(Duration.between(Instant.now(), end.minus(length.multipliedBy(2).dividedBy(5))));
            restarts.add(restart(run, system, db, ledger, StopMode.IMMEDIATE, downtime));
            ScenarioRun.sleep(Duration.between(Instant.now(), end).plusMillis(200));
            pacer.shutdown();
            clients.shutdown();
            clients.awaitTermination(3, TimeUnit.MINUTES);

            List<CheckoutClient.Outcome> outcomes = new ArrayList<>();
            for (Future<CheckoutClient.Outcome> checkout : checkouts) {
                outcomes.add(checkout.get());
            }
            judgeHealth(run, system, health, restarts, pids);
            judgeCheckouts(run, ledger, outcomes);
        } finally {
            pacer.shutdownNow();
            clients.shutdownNow();
        }
        PayAgain.degradedCheckouts(run, system, ledger);
        judgePayments(run, system, db, settled, decideFailures);

        List<UUID> orderIds = ledger.orderIds();
        // what a crash left SENDING is rescued after its lease: only then is the number of possible duplicates known
        run.await(Duration.ofMinutes(4), Duration.ofSeconds(2), () -> db.count("select count(*) from notifications.delivery d,"
                + " orders.customer_order o where d.aggregate_id = o.id::text and o.id = any(?)"
                + " and d.status in ('PENDING', 'SENDING', 'RETRY')", orderIds) == 0);
        long rescued = db.count("select count(*) from notifications.delivery d, orders.customer_order o"
                + " where d.aggregate_id = o.id::text and o.id = any(?) and d.errors::text like '%lease expired%'", orderIds);
        run.ledger(orderIds.size() + " orders", () -> Reconciliation.of(system, ledger), (int) rescued,
                "deliveries whose outcome could not be recorded while the database was down (rescued, each logged)",
                run.pick(Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofMinutes(5)));
        judgeOutbox(run, db, restarts);
    }

    private static Restart restart(ScenarioRun run, SystemUnderTest system, Db db, CheckoutLedger ledger, StopMode mode,
                                   Duration downtime) {
        List<String> orderIds = ledger.orderIds().stream().map(UUID::toString).toList();
        Set<UUID> committed = new HashSet<>();
        for (String schema : List.of("orders", "payments")) {
            db.rows("select event_id from " + schema + ".outbox where aggregate_id = any(?)", orderIds)
                    .forEach(row -> committed.add((UUID) row.get(0)));
        }
        run.progress("pg_ctl stop -m %s with %d outbox events of the run committed; up again in %d s",
                mode.name().toLowerCase(Locale.ROOT), committed.size(), downtime.toSeconds());
        Instant down = Instant.now();
        system.database().server().orElseThrow().restart(mode, downtime);
        Instant up = Instant.now();
        return new Restart(mode, down, up, committed);
    }

    private static void judgeHealth(ScenarioRun run, SystemUnderTest system, HealthWatch health, List<Restart> restarts,
                                    Map<Service, Long> pids) {
        Map<Service, Long> failures = health.livenessFailures();
        run.check("liveness never failed", failures.values().stream().allMatch(n -> n == 0),
                "failed probes %s; slowest liveness answer %d ms", failures, health.slowestLiveness().toMillis());
        boolean notRestarted = true;
        for (Service service : Service.values()) {
            notRestarted &= system.process(service).pid().equals(OptionalLong.of(pids.get(service)));
        }
        run.check("no service restarted", notRestarted, "the same three processes from start to end");
        List<String> recovery = new ArrayList<>();
        boolean allBack = true;
        for (Restart restart : restarts) {
            for (Service service : Service.values()) {
                Instant back = health.readyAgain(service, restart.up()).orElse(null);
                boolean wasDown = health.sawNotReady(service, restart.down(), restart.up().plusSeconds(5));
                allBack &= back != null && Duration.between(restart.up(), back).compareTo(READY_AGAIN_WITHIN) <= 0;
                recovery.add(String.format(Locale.ROOT, "%s/%s: %s, ready %s", restart.mode().name().toLowerCase(Locale.ROOT),
                        service, wasDown ? "not ready while down" : "never seen not ready",
                        back == null ? "never again" : String.format(Locale.ROOT, "%.1f s after the database",
                                Duration.between(restart.up(), back).toMillis() / 1000.0)));
            }
        }
        run.check("readiness back within 30 s of the database", allBack, "%s", recovery);
    }

    private static void judgeCheckouts(ScenarioRun run, CheckoutLedger ledger, List<CheckoutClient.Outcome> outcomes) {
        long created = outcomes.stream().filter(CheckoutClient.Outcome::created).count();
        long retried = outcomes.stream().filter(o -> o.requests() > 1).count();
        Map<String, Long> failedAnswers = ledger.entries().stream().filter(e -> e.status() != 201)
                .collect(Collectors.groupingBy(e -> String.valueOf(e.status()), TreeMap::new, Collectors.counting()));
        run.check("every checkout ended 201, retried with its key where it failed", created == outcomes.size(),
                "%d of %d; %d needed more than one request; answers other than 201 on the way: %s", created,
                outcomes.size(), retried, failedAnswers);
        run.figure("checkouts", outcomes.size());
        run.figure("checkouts that needed a retry", retried);
    }

    private static void judgePayments(ScenarioRun run, SystemUnderTest system, Db db, Set<String> settled,
                                      List<String> decideFailures) {
        List<UUID> ids = settled.stream().map(UUID::fromString).toList();
        boolean paid = run.await(Duration.ofMinutes(6), Duration.ofSeconds(2), () -> db.count(
                "select count(*) from orders.customer_order where id = any(?) and status = 'PAID'", ids) == ids.size());
        run.check("every order Midtrans settled is PAID (Midtrans retried what the outage refused)", paid && decideFailures.isEmpty(),
                "%d of %d; %s", db.count("select count(*) from orders.customer_order where id = any(?) and status = 'PAID'", ids),
                ids.size(), decideFailures.isEmpty() ? "every payment reached the simulator" : decideFailures);
        List<Delivery.View> notifications = settled.stream()
                .flatMap(id -> system.simulator().transaction(id).orElseThrow().notifications().stream()).toList();
        long retried = notifications.stream().filter(view -> view.attempts().size() > 1).count();
        long accepted = notifications.stream().filter(view -> view.state().equals("delivered")).count();
        run.check("every notification accepted in the end", accepted == notifications.size(),
                "%d of %d; %d needed a retry", accepted, notifications.size(), retried);
        run.figure("notifications retried by Midtrans", retried);
    }

    private static void judgeOutbox(ScenarioRun run, Db db, List<Restart> restarts) {
        List<String> lines = new ArrayList<>();
        boolean all = true;
        for (Restart restart : restarts) {
            List<UUID> events = List.copyOf(restart.eventsBefore());
            long relayed = db.count("select count(*) from orders.outbox where event_id = any(?) and status = 'SENT'", events)
                    + db.count("select count(*) from payments.outbox where event_id = any(?) and status = 'SENT'", events);
            long unsent = db.count("select count(*) from notifications.delivery where event_id = any(?) and status <> 'SENT'",
                    events);
            all &= relayed == events.size() && unsent == 0;
            lines.add(String.format(Locale.ROOT, "before the %s restart: %d of %d relayed, %d deliveries not SENT",
                    restart.mode().name().toLowerCase(Locale.ROOT), relayed, events.size(), unsent));
        }
        run.check("every outbox row committed before a restart was delivered", all, "%s", lines);
    }
}
