package dev.lunas.systemtest.faults;

import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.ReconciliationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One scenario's run: the system it drives, its scale and options, and what it found — checks (each a pass
 * criterion with the measured value), figures (numbers for the result file) and ledger verdicts.
 */
public final class ScenarioRun {

    /** Thrown by {@link #skip}: the scenario cannot run on this machine. */
    static final class Skipped extends RuntimeException {
        Skipped(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final Duration LEDGER_POLL = Duration.ofSeconds(2);

    private final Scenario scenario;
    private final SystemUnderTest system;
    private final Scale scale;
    private final SuiteOptions options;
    private final Consumer<String> progress;
    private final List<Check> checks = new ArrayList<>();
    private final List<LedgerVerdict> ledgers = new ArrayList<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();

    ScenarioRun(Scenario scenario, SystemUnderTest system, Scale scale, SuiteOptions options, Consumer<String> progress) {
        this.scenario = scenario;
        this.system = system;
        this.scale = scale;
        this.options = options;
        this.progress = progress;
    }

    public SystemUnderTest system() {
        return system;
    }

    public Scale scale() {
        return scale;
    }

    public SuiteOptions options() {
        return options;
    }

    /** The value for this run's scale. */
    public <T> T pick(T ci, T quick, T full) {
        return switch (scale) {
            case CI -> ci;
            case QUICK -> quick;
            case FULL -> full;
        };
    }

    /** Records a pass criterion; returns whether it held. */
    public boolean check(String what, boolean passed, String detail, Object... args) {
        String text = args.length == 0 ? detail : String.format(Locale.ROOT, detail, args);
        checks.add(new Check(what, passed, text));
        progress((passed ? "✔ " : "✘ ") + what + ": " + text);
        return passed;
    }

    /** A number (or short text) for the result file: sizes, timings, rates. */
    public void figure(String name, Object value) {
        figures.put(name, value);
    }

    /** A line of progress on the console and in the run's harness-events.log. */
    public void progress(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        progress.accept(scenario.id() + "  " + text);
        system.note(scenario.id() + ": " + text);
    }

    /** Stops the scenario as not runnable here; the suite reports the reason and goes on. */
    public void skip(String reason) {
        throw new Skipped(reason);
    }

    /**
     * Reconciles until the ledger balances within the bound or the time is up (messages still on their way
     * count as lost, so a reconciliation taken too early fails), and records the last report.
     */
    public ReconciliationReport ledger(String what, Supplier<ReconciliationReport> reconcile, int bound,
                                       String boundBasis, Duration within) {
        Instant deadline = Instant.now().plus(within);
        ReconciliationReport report = reconcile.get();
        while (!report.balanced(bound) && Instant.now().isBefore(deadline)) {
            sleep(LEDGER_POLL);
            report = reconcile.get();
        }
        LedgerVerdict verdict = LedgerVerdict.of(what, report, bound, boundBasis);
        ledgers.add(verdict);
        progress("%s ledger of %s: lost %d, duplicates %d (bound %d: %s)\n%s", verdict.balanced() ? "✔" : "✘", what,
                verdict.lost(), verdict.duplicates(), bound, boundBasis, report);
        return report;
    }

    /** Waits until the condition holds; false when it did not within the time. */
    public boolean await(Duration within, Duration poll, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            sleep(poll);
        }
        return true;
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    ScenarioResult result(Duration elapsed, Throwable failure) {
        if (failure instanceof Skipped skipped) {
            return new ScenarioResult(scenario.id(), scenario.title(), ScenarioResult.Status.SKIPPED,
                    "skipped: " + skipped.getMessage(), elapsed, checks, ledgers, figures);
        }
        boolean passed = failure == null && !checks.isEmpty() && !ledgers.isEmpty()
                && checks.stream().allMatch(Check::passed) && ledgers.stream().allMatch(LedgerVerdict::balanced);
        String reason = failure != null ? "error: " + failure
                : checks.stream().filter(check -> !check.passed()).map(Check::what).findFirst()
                        .or(() -> ledgers.stream().filter(ledger -> !ledger.balanced()).map(l -> "ledger of " + l.what()
                                + " does not balance").findFirst())
                        .orElse(ledgers.isEmpty() ? "no ledger reconciliation" : "");
        return new ScenarioResult(scenario.id(), scenario.title(),
                passed ? ScenarioResult.Status.PASSED : ScenarioResult.Status.FAILED, reason, elapsed, checks, ledgers,
                figures);
    }
}
