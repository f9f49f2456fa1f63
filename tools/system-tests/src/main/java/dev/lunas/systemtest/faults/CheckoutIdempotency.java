package dev.lunas.systemtest.faults;

import dev.lunas.launcher.measure.Latencies;
import dev.lunas.systemtest.harness.Customer;
import dev.lunas.systemtest.harness.HttpAnswer;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.Reconciliation;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * T2: checkout idempotency and quota. The same Idempotency-Key 20 times at once makes one order (the others
 * are told "in flight" or get the stored answer byte for byte); the key with another body is refused 422, no
 * key 400; a package with quota Q and B buyers at once sells exactly Q places, the rest are told sold out, and
 * PostgreSQL counts no deadlock.
 */
final class CheckoutIdempotency extends Scenario {

    private static final String PACKAGE = "ai-movie-course";
    private static final int SAME_KEY = 20;

    CheckoutIdempotency() {
        super("T2", "Checkout idempotency and quota");
    }

    @Override
    public void run(ScenarioRun run) {
        SystemUnderTest system = run.system();
        Db db = new Db(system);
        CheckoutLedger ledger = new CheckoutLedger(system);
        long deadlocksBefore = deadlocks(db);

        sameKeyAtOnce(run, system, db, ledger);
        quota(run, system, db, ledger);

        PayAgain.degradedCheckouts(run, system, ledger);
        long deadlocks = deadlocks(db) - deadlocksBefore;
        run.check("no deadlock (pg_stat_database.deadlocks)", deadlocks == 0, "delta %d", deadlocks);
        run.ledger(ledger.orderIds().size() + " orders", () -> Reconciliation.of(system, ledger), 0, "exactly once",
                Duration.ofMinutes(2));
    }

    private static void sameKeyAtOnce(ScenarioRun run, SystemUnderTest system, Db db, CheckoutLedger ledger) {
        Customer customer = system.customers().next();
        String key = UUID.randomUUID().toString();
        run.progress("the same Idempotency-Key %d× at once", SAME_KEY);
        List<CheckoutLedger.Entry> answers = Parallel.atOnce(SAME_KEY, i -> ledger.send(key, PACKAGE, customer));
        List<CheckoutLedger.Entry> created = answers.stream().filter(e -> e.status() == 201 && !replayed(e)).toList();
        List<CheckoutLedger.Entry> replays = answers.stream().filter(e -> e.status() == 201 && replayed(e)).toList();
        long inFlight = answers.stream().filter(e -> e.status() == 409 && type(e).endsWith("/idempotency-key-in-use")
                && e.answer().header("Retry-After").isPresent()).count();
        CheckoutLedger.Entry later = ledger.send(key, PACKAGE, customer);
        String original = created.isEmpty() ? "" : created.get(0).bodySha256();
        boolean identical = replays.stream().allMatch(e -> e.bodySha256().equals(original))
                && later.status() == 201 && replayed(later) && later.bodySha256().equals(original);
        long orders = db.count("select count(*) from orders.customer_order where lower(customer_email) = ?",
                customer.email().toLowerCase(Locale.ROOT));
        run.check("one key, 20 requests at once: one order", created.size() == 1 && orders == 1
                        && created.size() + replays.size() + inFlight == SAME_KEY,
                "created %d, byte-identical replays %d, 409 in flight %d, other %s; orders in the database %d",
                created.size(), replays.size(), inFlight, statuses(answers.stream()
                        .filter(e -> !(e.status() == 201) && !(e.status() == 409)).toList()), orders);
        run.check("a replay is the stored answer byte for byte with Idempotent-Replayed: true", identical,
                "%d replays at once and one afterwards", replays.size());

        Customer renamed = new Customer(customer.name() + " Berbeda", customer.email(), customer.phone());
        CheckoutLedger.Entry otherBody = ledger.send(key, PACKAGE, renamed);
        run.check("the key with another body: 422", otherBody.status() == 422 && type(otherBody).endsWith("/idempotency-key-reused"),
                "%d %s", otherBody.status(), type(otherBody));

        Customer forgetful = system.customers().next();
        HttpAnswer noKey = system.storefront().checkoutWithoutKey("faults-" + UUID.randomUUID(),
                CheckoutLedger.body(PACKAGE, forgetful));
        long forgetfulOrders = db.count("select count(*) from orders.customer_order where lower(customer_email) = ?",
                forgetful.email().toLowerCase(Locale.ROOT));
        run.check("no key: 400 problem+json, nothing written", noKey.status() == 400 && forgetfulOrders == 0
                        && noKey.header("Content-Type").orElse("").startsWith("application/problem+json"),
                "%d, orders written %d", noKey.status(), forgetfulOrders);
    }

    private static void quota(ScenarioRun run, SystemUnderTest system, Db db, CheckoutLedger ledger) {
        int quota = run.pick(10, 100, 100);
        int buyers = run.pick(100, 1_000, 1_000);
        String packageId = "kuota-" + UUID.randomUUID().toString().substring(0, 8);
        system.addPackage(packageId, "Kelas Kuota Terbatas", 149_000, quota);
        run.progress("quota %d, %d buyers at once", quota, buyers);
        Latencies latencies = new Latencies();
        List<CheckoutLedger.Entry> answers = Parallel.atOnce(buyers, i -> {
            long started = System.nanoTime();
            CheckoutLedger.Entry entry = ledger.checkout(packageId);
            latencies.record(Duration.ofNanos(System.nanoTime() - started));
            return entry;
        });
        long sold = answers.stream().filter(e -> e.status() == 201).count();
        long soldOut = answers.stream().filter(e -> e.status() == 409 && type(e).endsWith("/sold-out")).count();
        List<CheckoutLedger.Entry> other = answers.stream().filter(e -> e.status() != 201
                && !(e.status() == 409 && type(e).endsWith("/sold-out"))).toList();
        long orders = db.count("select count(*) from orders.customer_order where package_id = ?", packageId);
        long reserved = db.count("select reserved from orders.package where id = ?", packageId);
        int listedRemaining = system.storefront().packages().json().findParents("id").stream()
                .filter(offer -> offer.path("id").asText().equals(packageId)).findFirst()
                .map(offer -> offer.path("remainingQuota").asInt(-1)).orElse(-1);
        run.check("exactly the quota sold", sold == quota && orders == quota,
                "%d answered 201, %d orders in the database, quota %d", sold, orders, quota);
        run.check("everyone else told sold out (409)", soldOut == buyers - quota && other.isEmpty(),
                "%d sold-out, other answers %s", soldOut, statuses(other));
        run.check("nothing oversold", reserved == quota && listedRemaining == 0,
                "places reserved %d of %d, remainingQuota on the storefront %d", reserved, quota, listedRemaining);
        run.figure("quota checkout answer times (" + buyers + " at once)", latencies.summary().text());
        run.figure("quota / buyers", quota + " / " + buyers);
    }

    private static long deadlocks(Db db) {
        return db.count("select deadlocks from pg_stat_database where datname = current_database()");
    }

    private static boolean replayed(CheckoutLedger.Entry entry) {
        return entry.answer().header("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false);
    }

    private static String type(CheckoutLedger.Entry entry) {
        return Objects.toString(entry.status() / 100 == 2 ? "" : entry.answer().json().path("type").asText(), "");
    }

    private static String statuses(List<CheckoutLedger.Entry> entries) {
        Map<String, Long> byStatus = new TreeMap<>(entries.stream().collect(Collectors.groupingBy(
                e -> e.status() + (e.status() / 100 == 2 ? "" : " " + type(e).replaceFirst(".*/", "")), Collectors.counting())));
        return byStatus.isEmpty() ? "none" : byStatus.toString();
    }
}
