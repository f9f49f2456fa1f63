package dev.lunas.systemtest.faults;

import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import java.time.Duration;
import java.util.List;

/**
 * What the storefront does with a checkout answered without a Snap token (payment-service or Midtrans was
 * unavailable: 201 CREATED with Retry-After): it presses "pay again" until the order has its token.
 */
final class PayAgain {

    private PayAgain() {
    }

    /** Completes every checkout of the ledger that was answered without a token; a check says whether all got one. */
    static void degradedCheckouts(ScenarioRun run, SystemUnderTest system, CheckoutLedger ledger) {
        List<String> degraded = ledger.entries().stream().filter(e -> e.status() == 201 && e.paymentUrl().isEmpty())
                .map(e -> e.orderId().toString()).distinct().toList();
        run.figure("checkouts answered without a token (paid again later)", degraded.size());
        if (!degraded.isEmpty()) {
            run.progress("%d checkouts got no token at once: paying again", degraded.size());
            run.check("every checkout answered without a token got one by paying again", untilTokens(run, system, degraded),
                    "%d orders", degraded.size());
        }
    }

    /** Pays again for each order until every one has its Snap token; false when two minutes were not enough. */
    static boolean untilTokens(ScenarioRun run, SystemUnderTest system, List<String> orderIds) {
        // "pay again" answers 200 also when it still has no token for now (payment: null, Retry-After)
        return run.await(Duration.ofMinutes(2), Duration.ofSeconds(2), () -> orderIds.stream()
                .allMatch(orderId -> hasToken(system, orderId)
                        || system.storefront().pay(orderId).json().path("payment").path("token").isTextual()));
    }

    static boolean hasToken(SystemUnderTest system, String orderId) {
        return system.storefront().order(orderId).json().path("payment").path("token").isTextual();
    }
}
