package dev.lunas.systemtest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.systemtest.SharedSystem;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two fault scenarios whose smallest size is cheap enough for every build, run by the same code as
 * {@link FaultSuite}: forged notifications (wrong or missing signature, a pending notification's signature on
 * a settlement) write nothing while copies and storms settle each order once (T1), and one Idempotency-Key sent
 * 20 times at once makes one order while a crowd never oversells a quota (T2). The other scenarios restart
 * services, PostgreSQL or take minutes: they run only from the fault-suite command.
 */
@Order(6)
@ExtendWith(SharedSystem.class)
class FaultScenariosTest {

    @Test
    void forgeriesWriteNothingAndConcurrentCopiesSettleEachOrderOnce(SystemUnderTest system) {
        passes(new DuplicateWebhooks(), system);
    }

    @Test
    void oneKeyMakesOneOrderAndACrowdNeverOversellsTheQuota(SystemUnderTest system) {
        passes(new CheckoutIdempotency(), system);
    }

    private static void passes(Scenario scenario, SystemUnderTest system) {
        ScenarioResult result = ScenarioRunner.run(scenario, system, Scale.CI, SuiteOptions.defaults(), System.out::println);
        assertThat(result.status()).as("%s: %s%n%s", scenario.id(), result.reason(), describe(result))
                .isEqualTo(ScenarioResult.Status.PASSED);
    }

    private static String describe(ScenarioResult result) {
        return result.checks().stream().map(check -> (check.passed() ? "  ✔ " : "  ✘ ") + check.what() + ": " + check.detail())
                .collect(Collectors.joining("\n"))
                + "\n" + result.ledgers().stream().map(ledger -> "  ledger " + ledger.what() + ":\n" + ledger.report())
                .collect(Collectors.joining("\n"));
    }
}
