package dev.lunas.systemtest;

import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.Reconciliation;
import dev.lunas.systemtest.ledger.ReconciliationReport;
import java.time.Duration;

/** The end of every scenario: wait until the ledger reconciles, then show the counts in the build output. */
final class Ledgers {

    private Ledgers() {
    }

    /** Waits until everything the ledger's checkouts caused was delivered exactly once; returns that report. */
    static ReconciliationReport exactlyOnce(SystemUnderTest system, CheckoutLedger ledger, String scenario) {
        return exactlyOnce(system, ledger, scenario, Duration.ofSeconds(60));
    }

    static ReconciliationReport exactlyOnce(SystemUnderTest system, CheckoutLedger ledger, String scenario, Duration bound) {
        Eventually.within(bound, scenario + ": the ledger reconciles")
                .untilAsserted(() -> Reconciliation.of(system, ledger).requireExactlyOnce());
        ReconciliationReport report = Reconciliation.of(system, ledger);
        report.requireExactlyOnce();
        System.out.println("Ledger of " + scenario + " (lost " + report.lost() + ", duplicates " + report.duplicates() + "):\n"
                + report);
        return report;
    }
}
