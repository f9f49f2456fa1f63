package dev.lunas.systemtest.faults;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a scenario ended: PASSED when every check held and every ledger balanced, SKIPPED when it could not run
 * here (the reason says why), FAILED otherwise.
 */
public record ScenarioResult(String id, String title, Status status, String reason, Duration elapsed,
                             List<Check> checks, List<LedgerVerdict> ledgers, Map<String, Object> figures) {

    public enum Status { PASSED, FAILED, SKIPPED }

    public ScenarioResult {
        checks = List.copyOf(checks);
        ledgers = List.copyOf(ledgers);
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    public int lost() {
        return ledgers.stream().mapToInt(LedgerVerdict::lost).sum();
    }

    public int duplicates() {
        return ledgers.stream().mapToInt(LedgerVerdict::duplicates).sum();
    }

    public int bound() {
        return ledgers.stream().mapToInt(LedgerVerdict::bound).sum();
    }
}
