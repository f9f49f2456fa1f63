package dev.lunas.systemtest.faults;

import dev.lunas.systemtest.ledger.ReconciliationReport;

/**
 * The reconciliation a scenario ends with: nothing lost, nothing out of place, duplicates within the bound.
 *
 * @param bound      the duplicates the scenario allows
 * @param boundBasis why that many (e.g. "messages in flight at 5 kills")
 * @param report     the counts, as the ledger printed them
 */
public record LedgerVerdict(String what, int lost, int duplicates, int bound, String boundBasis, boolean balanced,
                            String report) {

    static LedgerVerdict of(String what, ReconciliationReport report, int bound, String boundBasis) {
        return new LedgerVerdict(what, report.lost(), report.duplicates(), bound, boundBasis, report.balanced(bound),
                report.toString());
    }
}
