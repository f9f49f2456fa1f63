package dev.lunas.systemtest.ledger;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a {@link Reconciliation} found, counted the way docs/reliability.md §8 counts: per kind of thing, how many
 * were expected, how many of them are missing ({@code lost = expected − distinct delivered}) and how many
 * arrived more than once ({@code duplicates = delivered − distinct}); plus every other discrepancy in words.
 *
 * @param counts   one line per kind: orders, outbox events, deliveries, email, WhatsApp, internal events
 * @param problems anything else that is not as it must be: an extra order, an event committed twice, a row
 *                 not yet SENT or DEAD, Midtrans and payment-service disagreeing
 */
public record ReconciliationReport(List<Count> counts, List<String> problems) {

    /**
     * @param lostKeys what was expected and is missing, for the failure message
     */
    public record Count(String what, int expected, int lost, int duplicates, List<String> lostKeys) {

        @Override
        public String toString() {
            return what + ": expected " + expected + ", lost " + lost + ", duplicates " + duplicates
                    + (lostKeys.isEmpty() ? "" : " (lost: " + String.join(", ", lostKeys.subList(0, Math.min(5, lostKeys.size())))
                    + (lostKeys.size() > 5 ? ", …" : "") + ")");
        }
    }

    public ReconciliationReport {
        counts = List.copyOf(counts);
        problems = List.copyOf(problems);
    }

    public int lost() {
        return counts.stream().mapToInt(Count::lost).sum();
    }

    public int duplicates() {
        return counts.stream().mapToInt(Count::duplicates).sum();
    }

    public Count count(String what) {
        return counts.stream().filter(count -> count.what().equals(what)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No count for " + what));
    }

    /** Nothing lost, nothing out of place, and no more duplicates than the scenario allows. */
    public boolean balanced(int allowedDuplicates) {
        return lost() == 0 && problems.isEmpty() && duplicates() <= allowedDuplicates;
    }

    /** Throws with the whole report unless everything was delivered exactly once. */
    public void requireExactlyOnce() {
        requireBalanced(0);
    }

    /** Throws with the whole report unless nothing is lost and duplicates stay within the bound. */
    public void requireBalanced(int allowedDuplicates) {
        if (!balanced(allowedDuplicates)) {
            throw new AssertionError("The ledger does not reconcile (lost " + lost() + ", duplicates " + duplicates()
                    + ", allowed " + allowedDuplicates + "):\n" + this);
        }
    }

    @Override
    public String toString() {
        String lines = counts.stream().map(count -> "  " + count).collect(Collectors.joining("\n"));
        return lines + (problems.isEmpty() ? "" : "\n  problems:\n    " + String.join("\n    ", problems));
    }
}
