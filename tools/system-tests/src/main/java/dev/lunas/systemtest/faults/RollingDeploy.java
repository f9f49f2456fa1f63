package dev.lunas.systemtest.faults;

import dev.lunas.launcher.fault.RoundRobinProxy;
import dev.lunas.launcher.midtrans.Delivery;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.launcher.run.Service;
import dev.lunas.launcher.run.ServiceProcess;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.Reconciliation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * T10: a rolling deploy under load. Each service runs as two instances behind a round-robin HTTP proxy on the
 * service's own port ({@link RoundRobinProxy}: a Kubernetes Service with readiness probes), so the storefront, the
 * Midtrans webhook and the services' calls to each other all go through the proxies. While checkouts, payments and
 * mails flow, every instance is replaced, one at a time: SIGTERM (the instance drops readiness, finishes what it
 * holds and exits), start its replacement, wait until the proxy routes to it, next. No request may fail in a way a
 * client would not retry (a 5xx other than 503 with Retry-After; a refused connection never reaches a client, the
 * proxy tries the other instance), every order paid during the deploy is PAID with its mails, no mail twice.
 */
final class RollingDeploy extends Scenario {

    private static final String PACKAGE = "ai-movie-course";
    private static final int INSTANCES = 2;
    /** How often the proxies ask each instance's readiness: well inside the services' 5 s shutdown delay. */
    private static final Duration PROBE_PERIOD = Duration.ofMillis(500);
    /** The deploy's order; each Deployment is rolled on its own, as `kubectl rollout restart` does them. */
    private static final List<Service> ROLLOUT = List.of(Service.PAYMENT, Service.ORDER, Service.NOTIFICATION);

    /** One instance replaced: how long its SIGTERM took, and what it left behind. */
    private record Replacement(String old, String replacement, Duration stop, Duration start, long sendingLeft) {
    }

    RollingDeploy() {
        super("T10", "rolling deploy under load");
    }

    @Override
    public void run(ScenarioRun run) throws Exception {
        SystemUnderTest system = run.system();
        Db db = new Db(system);
        double checkoutRate = run.pick(0.5, 1.0, 5.0);
        int rollouts = run.pick(1, 1, 2);
        run.figure("load", String.format(Locale.ROOT, "%.1f checkouts/s, each paid (pending and settlement notifications)"
                + " and mailed, until %d rollout(s) of the three services end", checkoutRate, rollouts));
        run.figure("instances per service", INSTANCES);
        run.figure("proxy readiness probe", PROBE_PERIOD.toMillis() + " ms");

        Map<Service, RoundRobinProxy> proxies = new EnumMap<>(Service.class);
        Map<Service, List<ServiceProcess>> running = new EnumMap<>(Service.class);
        List<Replacement> replacements = new ArrayList<>();
        CheckoutLedger ledger = new CheckoutLedger(system);
        CheckoutClient client = new CheckoutClient(ledger, Duration.ofMinutes(2));
        List<Future<CheckoutClient.Outcome>> checkouts = new CopyOnWriteArrayList<>();
        ConcurrentLinkedQueue<String> payable = new ConcurrentLinkedQueue<>();
        Set<String> settled = ConcurrentHashMap.newKeySet();
        List<String> decideFailures = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
        try {
            run.progress("each service behind a round-robin proxy on its port, %d instances each", INSTANCES);
            for (Service service : Service.values()) {
                int port = system.process(service).port();
                system.stop(service);
                RoundRobinProxy proxy = RoundRobinProxy.start(service.moduleName(), port, PROBE_PERIOD, system::note);
                proxies.put(service, proxy);
                running.put(service, new ArrayList<>());
            }
            for (Service service : Service.values()) {
                for (int i = 0; i < INSTANCES; i++) {
                    running.get(service).add(start(run, system, proxies.get(service), service));
                }
            }

            pacer.scheduleAtFixedRate(() -> checkouts.add(clients.submit(() -> {
                CheckoutClient.Outcome outcome = client.checkout(PACKAGE, system.customers().next());
                if (outcome.created() && outcome.last().paymentUrl().isPresent()) {
                    payable.add(outcome.last().orderId().toString());
                }
                return outcome;
            })), 0, (long) (1_000_000 / checkoutRate), TimeUnit.MICROSECONDS);
            pacer.scheduleWithFixedDelay(() -> {
                for (String orderId = payable.poll(); orderId != null; orderId = payable.poll()) {
                    try {
                        system.simulator().decide(orderId, Outcome.SETTLEMENT);
                        settled.add(orderId);
                    } catch (RuntimeException e) {
                        decideFailures.add(orderId + ": " + e.getMessage());
                    }
                }
            }, 500, 500, TimeUnit.MILLISECONDS);
            ScenarioRun.sleep(Duration.ofSeconds(5));

            for (int rollout = 1; rollout <= rollouts; rollout++) {
                for (Service service : ROLLOUT) {
                    List<ServiceProcess> instances = running.get(service);
                    for (int i = 0; i < INSTANCES; i++) {
                        ServiceProcess old = instances.remove(0);
                        replacements.add(replace(run, system, db, proxies.get(service), service, old, instances));
                    }
                }
            }
            ScenarioRun.sleep(Duration.ofSeconds(5));
            pacer.shutdown();
            pacer.awaitTermination(1, TimeUnit.MINUTES);
            clients.shutdown();
            clients.awaitTermination(3, TimeUnit.MINUTES);
            // what was created in the last half second is paid too
            for (String orderId = payable.poll(); orderId != null; orderId = payable.poll()) {
                system.simulator().decide(orderId, Outcome.SETTLEMENT);
                settled.add(orderId);
            }
            List<CheckoutClient.Outcome> outcomes = new ArrayList<>();
            for (Future<CheckoutClient.Outcome> checkout : checkouts) {
                outcomes.add(checkout.get());
            }
            judgeCheckouts(run, ledger, outcomes);
            PayAgain.degradedCheckouts(run, system, ledger);
            judgePayments(run, system, db, settled, decideFailures);
            List<UUID> orderIds = ledger.orderIds();
            run.await(Duration.ofMinutes(3), Duration.ofSeconds(2), () -> db.count("select count(*) from notifications.delivery d,"
                    + " orders.customer_order o where d.aggregate_id = o.id::text and o.id = any(?)"
                    + " and d.status in ('PENDING', 'SENDING', 'RETRY')", orderIds) == 0);
            run.ledger(orderIds.size() + " orders", () -> Reconciliation.of(system, ledger), 0,
                    "a SIGTERM drains the sends it holds (§2.4): none twice", Duration.ofMinutes(2));
            judgeReplacements(run, replacements);
            judgeProxies(run, proxies);
        } finally {
            pacer.shutdownNow();
            clients.shutdownNow();
            // back to the plain system: one instance per service on its own port
            for (Service service : Service.values()) {
                for (ServiceProcess instance : running.getOrDefault(service, List.of())) {
                    try {
                        system.retire(instance);
                    } catch (RuntimeException e) {
                        run.progress("while restoring the plain system: %s", e.getMessage());
                    }
                }
            }
            proxies.values().forEach(RoundRobinProxy::close);
            system.ensureRunning();
        }
    }

    /** Starts an instance, hands it to the proxy and waits until the proxy routes to it. */
    private static ServiceProcess start(ScenarioRun run, SystemUnderTest system, RoundRobinProxy proxy, Service service) {
        ServiceProcess instance = system.startInstance(service);
        proxy.add(instance.baseUrl());
        if (!run.await(Duration.ofSeconds(30), Duration.ofMillis(100), () -> proxy.ready().contains(instance.baseUrl()))) {
            throw new IllegalStateException(instance.name() + " is ready but its proxy does not route to it");
        }
        return instance;
    }

    private static Replacement replace(ScenarioRun run, SystemUnderTest system, Db db, RoundRobinProxy proxy, Service service,
                                       ServiceProcess old, List<ServiceProcess> instances) {
        String worker = service == Service.NOTIFICATION ? DeliveryWorkers.of(old) : null;
        Instant stopping = Instant.now();
        system.retire(old);
        Duration stop = Duration.between(stopping, Instant.now());
        proxy.remove(old.baseUrl());
        long sendingLeft = worker == null ? 0 : DeliveryWorkers.sending(db, worker);
        Instant starting = Instant.now();
        ServiceProcess replacement = start(run, system, proxy, service);
        instances.add(replacement);
        Duration start = Duration.between(starting, Instant.now());
        run.progress("%s replaced by %s: SIGTERM to exit %.1f s%s, replacement in rotation after %.1f s", old.name(),
                replacement.name(), stop.toMillis() / 1000.0, worker == null ? "" : ", " + sendingLeft + " deliveries left SENDING",
                start.toMillis() / 1000.0);
        return new Replacement(old.name(), replacement.name(), stop, start, sendingLeft);
    }

    private static void judgeCheckouts(ScenarioRun run, CheckoutLedger ledger, List<CheckoutClient.Outcome> outcomes) {
        long created = outcomes.stream().filter(CheckoutClient.Outcome::created).count();
        Map<String, Long> otherAnswers = ledger.entries().stream().filter(e -> e.status() != 201)
                .collect(Collectors.groupingBy(e -> String.valueOf(e.status()), TreeMap::new, Collectors.counting()));
        run.check("every checkout ended 201", created == outcomes.size(), "%d of %d; answers other than 201 on the way: %s",
                created, outcomes.size(), otherAnswers);
        run.figure("checkouts", outcomes.size());
    }

    private static void judgePayments(ScenarioRun run, SystemUnderTest system, Db db, Set<String> settled,
                                      List<String> decideFailures) {
        List<UUID> ids = settled.stream().map(UUID::fromString).toList();
        boolean paid = run.await(Duration.ofMinutes(3), Duration.ofSeconds(2), () -> db.count(
                "select count(*) from orders.customer_order where id = any(?) and status = 'PAID'", ids) == ids.size());
        run.check("every order Midtrans settled is PAID", paid && decideFailures.isEmpty(), "%d of %d; %s",
                db.count("select count(*) from orders.customer_order where id = any(?) and status = 'PAID'", ids), ids.size(),
                decideFailures.isEmpty() ? "every payment reached the simulator" : decideFailures);
        List<Delivery.View> notifications = settled.stream()
                .flatMap(id -> system.simulator().transaction(id).orElseThrow().notifications().stream()).toList();
        long retried = notifications.stream().filter(view -> view.attempts().size() > 1).count();
        long accepted = notifications.stream().filter(view -> view.state().equals("delivered")).count();
        run.check("every Midtrans notification accepted at its first attempt", accepted == notifications.size() && retried == 0,
                "%d of %d accepted, %d needed a retry", accepted, notifications.size(), retried);
        run.figure("orders paid during the deploy", ids.size());
    }

    private static void judgeReplacements(ScenarioRun run, List<Replacement> replacements) {
        Duration slowestStop = replacements.stream().map(Replacement::stop).max(Duration::compareTo).orElse(Duration.ZERO);
        Duration slowestStart = replacements.stream().map(Replacement::start).max(Duration::compareTo).orElse(Duration.ZERO);
        long sendingLeft = replacements.stream().mapToLong(Replacement::sendingLeft).sum();
        // retire() throws when an instance outlives the grace period, so each one here exited by itself
        run.check("every instance exited by itself after SIGTERM, its sends drained", sendingLeft == 0
                        && replacements.size() == ROLLOUT.size() * INSTANCES * run.pick(1, 1, 2),
                "%d replaced; slowest SIGTERM to exit %.1f s (5 s shutdown delay included); deliveries left SENDING %d",
                replacements.size(), slowestStop.toMillis() / 1000.0, sendingLeft);
        run.figure("instances replaced", replacements.size());
        run.figure("slowest SIGTERM to exit", String.format(Locale.ROOT, "%.1f s", slowestStop.toMillis() / 1000.0));
        run.figure("slowest start to in rotation", String.format(Locale.ROOT, "%.1f s", slowestStart.toMillis() / 1000.0));
    }

    private static void judgeProxies(ScenarioRun run, Map<Service, RoundRobinProxy> proxies) {
        List<String> failures = new ArrayList<>();
        Map<String, String> perService = new TreeMap<>();
        long refused = 0;
        for (Map.Entry<Service, RoundRobinProxy> entry : proxies.entrySet()) {
            List<RoundRobinProxy.Answer> answers = entry.getValue().answers();
            List<RoundRobinProxy.Answer> failed = entry.getValue().failures();
            long retryLater = answers.stream().filter(a -> a.status() == 503 && a.retryAfter()).count();
            long refusedHere = answers.stream().mapToLong(RoundRobinProxy.Answer::refusedBefore).sum();
            refused += refusedHere;
            perService.put(entry.getKey().moduleName(), String.format(Locale.ROOT,
                    "%d requests, %d failed, %d answered 503 with Retry-After, %d refused connections retried",
                    answers.size(), failed.size(), retryLater, refusedHere));
            failed.stream().limit(5).forEach(answer -> failures.add(entry.getKey() + ": " + answer));
        }
        run.check("no request failed that a client would not retry (5xx other than 503 with Retry-After)",
                failures.isEmpty(), "%s%s", perService, failures.isEmpty() ? "" : "; first failures: " + failures);
        perService.forEach((service, line) -> run.figure("through the " + service + " proxy", line));
        run.figure("connections refused and retried on the other instance", refused);
    }
}
