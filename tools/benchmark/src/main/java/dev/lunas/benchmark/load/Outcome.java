package dev.lunas.benchmark.load;

/**
 * How one request ended, as its scenario reads the answer: a label for the tally ("201", "409 sold-out",
 * "timeout") and whether it counts as the work the scenario measures.
 */
public record Outcome(String label, boolean success) {

    public static Outcome success(String label) {
        return new Outcome(label, true);
    }

    public static Outcome other(String label) {
        return new Outcome(label, false);
    }
}
