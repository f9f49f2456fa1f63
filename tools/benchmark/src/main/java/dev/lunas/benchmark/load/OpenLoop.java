package dev.lunas.benchmark.load;

import dev.lunas.launcher.measure.Latencies;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends requests at a fixed arrival rate whatever the answers do (open loop, like wrk2 or k6's constant arrival
 * rate): request {@code i} leaves at its {@link Schedule} time, and its latency counts from then. A system that
 * slows down therefore faces the same arrivals and shows its queueing as latency.
 */
public final class OpenLoop {

    /** Requests are sent from this far in the future, so the first ones are not already late. */
    private static final Duration LEAD = Duration.ofMillis(20);
    static final String NOTHING_LEFT = "not sent (nothing left to send)";

    private final double ratePerSecond;
    private final Duration duration;
    private final Duration answerTimeout;
    private final int maxInFlight;
    private final Ticker ticker;

    /**
     * @param answerTimeout how long the run waits for the last answers after the last request left
     * @param maxInFlight   a guard for the generator's own memory: a request due while this many are unanswered is
     *                      not sent and counts as {@code not sent (generator limit)}
     */
    public OpenLoop(double ratePerSecond, Duration duration, Duration answerTimeout, int maxInFlight) {
        this(ratePerSecond, duration, answerTimeout, maxInFlight, Ticker.SYSTEM);
    }

    OpenLoop(double ratePerSecond, Duration duration, Duration answerTimeout, int maxInFlight, Ticker ticker) {
        this.ratePerSecond = ratePerSecond;
        this.duration = duration;
        this.answerTimeout = answerTimeout;
        this.maxInFlight = maxInFlight;
        this.ticker = ticker;
    }

    public LoadResult run(Call call) throws InterruptedException {
        Schedule schedule = new Schedule(ticker.nanoTime() + LEAD.toNanos(), ratePerSecond);
        long total = schedule.count(duration);
        Tally tally = new Tally();
        Latencies latency = new Latencies();
        Latencies serviceTime = new Latencies();
        AtomicLong unanswered = new AtomicLong(total);
        AtomicLong inFlight = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong(schedule.startNanos());
        CompletableFuture<Void> allAnswered = new CompletableFuture<>();
        if (total == 0) {
            allAnswered.complete(null);
        }
        for (long i = 0; i < total; i++) {
            long intended = schedule.intendedNanos(i);
            ticker.sleepUntil(intended);
            if (inFlight.get() >= maxInFlight) {
                tally.count(Outcome.other("not sent (generator limit)"));
                answered(unanswered, allAnswered);
                continue;
            }
            long sent = ticker.nanoTime();
            CompletableFuture<Outcome> answer = send(call, i);
            if (answer == null) {
                tally.count(Outcome.other(NOTHING_LEFT));
                answered(unanswered, allAnswered);
                continue;
            }
            inFlight.incrementAndGet();
            answer.whenComplete((outcome, failure) -> {
                long now = ticker.nanoTime();
                inFlight.decrementAndGet();
                latency.record(Schedule.latency(intended, now));
                serviceTime.record(Schedule.latency(sent, now));
                tally.count(failure == null ? outcome : Tally.failure(failure));
                lastAnswer.accumulateAndGet(now, Math::max);
                answered(unanswered, allAnswered);
            });
        }
        await(allAnswered, answerTimeout);
        double seconds = Math.max(1e-9, (lastAnswer.get() - schedule.startNanos()) / 1e9);
        return new LoadResult(ratePerSecond, 0, total, tally.succeeded(), tally.snapshot(), seconds,
                tally.succeeded() / seconds, latency.summary(), serviceTime.summary());
    }

    static CompletableFuture<Outcome> send(Call call, long sequence) {
        try {
            return call.send(sequence);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void answered(AtomicLong unanswered, CompletableFuture<Void> allAnswered) {
        if (unanswered.decrementAndGet() == 0) {
            allAnswered.complete(null);
        }
    }

    /** Waits for the answers still under way; those that never come are left out of the result. */
    static void await(CompletableFuture<Void> allAnswered, Duration timeout) throws InterruptedException {
        try {
            allAnswered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the requests' own timeouts end them; whatever is still open by now is reported as sent but unanswered
        }
    }
}
