package dev.lunas.legacyimport;

import java.io.PrintStream;
import java.util.List;
import java.util.UUID;

/**
 * What a run did to each old row, in the file's order. Rows are named by their old id; no line carries an email
 * address or a phone number.
 */
public record ImportReport(UUID runId, boolean dryRun, List<Outcome> outcomes) {

    /** One row's fate. */
    public sealed interface Outcome {
        String label();
    }

    /** Imported now (or, in a dry run, would be). */
    public record Imported(String label, UUID orderId, String status, String packageId, long amount) implements Outcome {
    }

    /** Imported by an earlier run, unchanged since: nothing written. */
    public record Skipped(String label, UUID orderId) implements Outcome {
    }

    /** Not imported, for these reasons. */
    public record Refused(String label, List<String> reasons) implements Outcome {
    }

    public List<Imported> imported() {
        return outcomes.stream().filter(Imported.class::isInstance).map(Imported.class::cast).toList();
    }

    public List<Skipped> skipped() {
        return outcomes.stream().filter(Skipped.class::isInstance).map(Skipped.class::cast).toList();
    }

    public List<Refused> refused() {
        return outcomes.stream().filter(Refused.class::isInstance).map(Refused.class::cast).toList();
    }

    /** One line per row, then the counts. */
    public void print(PrintStream out) {
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Imported imported) {
                // a dry run's order ids are never used: a real run makes its own
                out.printf("  imported %-10s order %s %s %s %d%n", imported.label(), dryRun ? "(new)" : imported.orderId(),
                        imported.status(), imported.packageId(), imported.amount());
            } else if (outcome instanceof Skipped skipped) {
                out.printf("  skipped  %-10s already imported as order %s%n", skipped.label(), skipped.orderId());
            } else if (outcome instanceof Refused refused) {
                out.printf("  refused  %-10s %s%n", refused.label(), String.join("; ", refused.reasons()));
            }
        }
        out.printf("Summary: %d imported, %d skipped (already imported), %d refused%s%n", imported().size(),
                skipped().size(), refused().size(), dryRun ? " (dry run: nothing was written)" : "");
    }
}
