package dev.lunas.benchmark.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts the outcomes of a run from the threads that complete its requests. */
final class Tally {

    private final Map<String, LongAdder> byLabel = new ConcurrentHashMap<>();
    private final LongAdder succeeded = new LongAdder();

    void count(Outcome outcome) {
        byLabel.computeIfAbsent(outcome.label(), label -> new LongAdder()).increment();
        if (outcome.success()) {
            succeeded.increment();
        }
    }

    long succeeded() {
        return succeeded.sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> counts = new TreeMap<>();
        byLabel.forEach((label, count) -> counts.put(label, count.sum()));
        return counts;
    }

    /** The outcome of a request whose future failed instead of answering. */
    static Outcome failure(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof java.net.http.HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
            return Outcome.other("timeout");
        }
        if (cause instanceof java.net.ConnectException) {
            return Outcome.other("connection refused");
        }
        return Outcome.other(cause.getClass().getSimpleName());
    }
}
