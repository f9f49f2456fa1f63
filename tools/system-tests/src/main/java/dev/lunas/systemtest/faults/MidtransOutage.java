package dev.lunas.systemtest.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.measure.Latencies;
import dev.lunas.launcher.midtrans.LedgerEntry;
import dev.lunas.launcher.midtrans.MidtransSimulator.Api;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.Customer;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.Reconciliation;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * T6: Midtrans down. Snap first answers 503, then holds every request for 10 s, then recovers, while customers
 * keep checking out. payment-service's breaker opens after its rolling window and then fails calls in
 * milliseconds; checkout still answers (the order is created, payment "not yet available" with Retry-After);
 * no thread pool runs dry; after recovery the breaker closes again, every customer gets a token by paying
 * again, the token they hold is the one Midtrans knows, and Midtrans has one transaction per order.
 */
final class MidtransOutage extends Scenario {

    private static final String PACKAGE = "ai-movie-course";
    private static final String SNAP_BREAKER = "SnapClient.create";
    private static final Duration HOLD = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Http HTTP = new Http(Duration.ofSeconds(30));

    MidtransOutage() {
        super("T6", "Midtrans down (5xx, then hanging)");
    }

    @Override
    public void run(ScenarioRun run) {
        SystemUnderTest system = run.system();
        double pace = run.pick(2.0, 4.0, 5.0);
        Duration errors = run.pick(Duration.ofSeconds(15), Duration.ofSeconds(20), Duration.ofSeconds(40));
        // longer than payment-service's breaker delay (30 s), so probes meet the hanging Midtrans
        Duration hanging = run.pick(Duration.ofSeconds(40), Duration.ofSeconds(40), Duration.ofSeconds(60));
        run.figure("checkouts per second", pace);
        run.figure("Snap 503 / hanging " + HOLD.toSeconds() + " s", errors.toSeconds() + " s / " + hanging.toSeconds() + " s");
        CheckoutLedger ledger = new CheckoutLedger(system);
        Latencies outageCheckouts = new Latencies();
        List<CheckoutLedger.Entry> answers = new ArrayList<>();
        double openedBefore = breakerOpenings(system);

        try (HealthWatch health = new HealthWatch(system, Duration.ofMillis(500))) {
            run.progress("Snap answers 503 for %d s", errors.toSeconds());
            system.simulator().fail(Api.SNAP, 503, 0);
            answers.addAll(checkouts(ledger, pace, errors, outageCheckouts));
            boolean opened = breakerState(system, "open");
            run.check("payment-service's Snap breaker opened", opened && breakerOpenings(system) > openedBefore,
                    "state open %s, openings %.0f", opened, breakerOpenings(system) - openedBefore);
            Latencies failFast = failFastCalls(system, ledger, 20);
            run.check("calls while the breaker is open fail fast with 503 + Retry-After", failFast.summary().p50Ms() <= 50,
                    "payment-service /internal/payments: %s", failFast.summary().text());

            run.progress("Snap holds every request %d s, for %d s", HOLD.toSeconds(), hanging.toSeconds());
            system.simulator().hang(Api.SNAP, HOLD, 0);
            answers.addAll(checkouts(ledger, pace, hanging, outageCheckouts));
            run.check("checkout answered through the outage, never 5xx", answers.stream().allMatch(e -> e.status() == 201),
                    "%s", statuses(answers));
            long degraded = answers.stream().filter(e -> e.paymentUrl().isEmpty()).count();
            run.check("a checkout without a token says when to try again", answers.stream().filter(e -> e.paymentUrl().isEmpty())
                            .allMatch(e -> e.answer().header("Retry-After").isPresent()
                                    && e.answer().json().path("status").asText().equals("CREATED")),
                    "%d of %d answered CREATED with Retry-After", degraded, answers.size());
            run.check("checkout p99 ≤ 500 ms during the outage", outageCheckouts.summary().p99Ms() <= 500, "%s",
                    outageCheckouts.summary().text());
            run.check("no thread pool ran dry: liveness answered fast throughout",
                    health.slowestLiveness().compareTo(Duration.ofSeconds(1)) < 0
                            && health.livenessFailures().values().stream().allMatch(n -> n == 0),
                    "slowest liveness %d ms, failures %s", health.slowestLiveness().toMillis(), health.livenessFailures());

            run.progress("Midtrans recovers");
            system.simulator().recover(Api.SNAP);
            Instant recovered = Instant.now();
            CheckoutLedger.Entry first = null;
            while (first == null && Duration.between(recovered, Instant.now()).compareTo(Duration.ofMinutes(2)) < 0) {
                CheckoutLedger.Entry entry = ledger.checkout(PACKAGE);
                if (entry.paymentUrl().isPresent()) {
                    first = entry;
                } else {
                    ScenarioRun.sleep(Duration.ofSeconds(1));
                }
            }
            Duration toFirstToken = Duration.between(recovered, Instant.now());
            // half-open lets a few probes through; it closes after successThreshold of them succeed
            boolean closed = run.await(Duration.ofMinutes(1), Duration.ofMillis(500), () -> {
                ledger.checkout(PACKAGE);
                return breakerState(system, "closed");
            });
            run.check("after recovery checkouts get tokens again, and the breaker closes", first != null && closed,
                    "first token %.1f s after recovery; breaker %s %.1f s after recovery", toFirstToken.toMillis() / 1000.0,
                    closed ? "closed" : "still not closed", Duration.between(recovered, Instant.now()).toMillis() / 1000.0);
        }

        List<String> orderIds = ledger.orderIds().stream().map(UUID::toString).toList();
        run.check("every order got its token by paying again", PayAgain.untilTokens(run, system, orderIds), "%d orders",
                orderIds.size());
        transactions(run, system, orderIds);

        run.progress("every customer pays");
        Parallel.run(orderIds.size(), 4, i -> system.simulator().decide(orderIds.get(i), Outcome.SETTLEMENT));
        run.ledger(orderIds.size() + " orders", () -> Reconciliation.of(system, ledger), 0, "exactly once",
                Duration.ofMinutes(2));
    }

    /** Checkouts at a steady pace for the duration, one customer each. */
    private static List<CheckoutLedger.Entry> checkouts(CheckoutLedger ledger, double pace, Duration duration,
                                                      Latencies latencies) {
        List<CheckoutLedger.Entry> entries = new ArrayList<>();
        Instant end = Instant.now().plus(duration);
        long intervalNanos = (long) (1e9 / pace);
        long next = System.nanoTime();
        while (Instant.now().isBefore(end)) {
            long started = System.nanoTime();
            entries.add(ledger.checkout(PACKAGE));
            latencies.record(Duration.ofNanos(System.nanoTime() - started));
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                ScenarioRun.sleep(Duration.ofNanos(wait));
            }
        }
        return entries;
    }

    /** payment-service's own answer while the breaker is open, asked directly as order-service asks it. */
    private static Latencies failFastCalls(SystemUnderTest system, CheckoutLedger ledger, int calls) {
        Latencies latencies = new Latencies();
        CheckoutLedger.Entry degraded = ledger.entries().stream().filter(e -> e.status() == 201 && e.paymentUrl().isEmpty())
                .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("no checkout without a token yet"));
        JsonNode order = degraded.answer().json();
        Customer customer = degraded.customer();
        ObjectNode request = JSON.createObjectNode()
                .put("orderId", degraded.orderId().toString())
                .put("amount", order.path("amount").asLong())
                .put("currency", "IDR")
                .put("expiresAt", order.path("expiresAt").asText());
        request.putObject("item").put("id", PACKAGE).put("name", order.path("packageName").asText());
        request.putObject("customer").put("name", customer.name()).put("email", customer.email()).put("phone", customer.e164());
        URI uri = system.baseUrl(Service.PAYMENT).resolve("/internal/payments");
        for (int i = 0; i < calls; i++) {
            long started = System.nanoTime();
            HttpResponse<String> answer = HTTP.postJson(uri, request.toString(), Http.bearer(system.paymentsToken()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (answer.statusCode() == 503 && answer.headers().firstValue("Retry-After").isPresent()) {
                latencies.record(took);
            } else {
                latencies.record(Duration.ofDays(1));
            }
        }
        return latencies;
    }

    /**
     * Midtrans's side: one transaction per order (the simulator keys them by order_id, as Midtrans does), and
     * the payment link order-service hands the customer opens Snap's current page (a token issued to a request
     * that had timed out on our side must not have replaced it).
     */
    private static void transactions(ScenarioRun run, SystemUnderTest system, List<String> orderIds) {
        List<String> broken = new ArrayList<>();
        int snapRequests = 0;
        int tokens = 0;
        for (String orderId : orderIds) {
            LedgerEntry transaction = system.simulator().transaction(orderId).orElse(null);
            String link = system.storefront().order(orderId).json().path("payment").path("redirectUrl").asText(null);
            if (transaction == null || link == null) {
                broken.add(orderId + " (no transaction or no link)");
                continue;
            }
            snapRequests += transaction.snapRequests();
            tokens += transaction.tokensIssued();
            int page = system.storefront().openPaymentPage(link).status();
            if (page != 200) {
                broken.add(orderId + " (its link answers " + page + ")");
            }
        }
        run.check("one Midtrans transaction per order, and the customer's link opens its current payment page",
                broken.isEmpty(), "%d orders, %d Snap requests recorded, %d tokens issued; broken: %s", orderIds.size(),
                snapRequests, tokens, broken.isEmpty() ? "none" : broken.subList(0, Math.min(3, broken.size())));
        run.figure("Snap tokens issued / orders", tokens + " / " + orderIds.size());
    }

    private static boolean breakerState(SystemUnderTest system, String state) {
        return MetricsSnapshot.scrape(system.baseUrl(Service.PAYMENT)).sum("ft_circuitbreaker_state_current",
                "method", "dev.lunas.payment.client." + SNAP_BREAKER, "state", state) > 0;
    }

    private static double breakerOpenings(SystemUnderTest system) {
        return MetricsSnapshot.scrape(system.baseUrl(Service.PAYMENT)).sum("ft_circuitbreaker_opened_total",
                "method", "dev.lunas.payment.client." + SNAP_BREAKER);
    }

    private static String statuses(List<CheckoutLedger.Entry> entries) {
        Map<String, Long> byStatus = new TreeMap<>(entries.stream().collect(Collectors.groupingBy(
                e -> e.status() + (e.paymentUrl().isPresent() ? " with token" : " without token"), Collectors.counting())));
        return byStatus.toString() + String.format(Locale.ROOT, " of %d", entries.size());
    }
}
