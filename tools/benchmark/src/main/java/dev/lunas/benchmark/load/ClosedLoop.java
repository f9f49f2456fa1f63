package dev.lunas.benchmark.load;

import dev.lunas.launcher.measure.Latencies;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed number of clients, each sending its next request as soon as its previous one is answered (closed loop):
 * the way to find the most a system can do, since it always has exactly {@code concurrency} requests to work on.
 * It stops at a deadline or after a number of requests, whichever comes first.
 */
public final class ClosedLoop {

    private final int concurrency;
    private final Duration duration;
    private final long maxRequests;
    private final Duration answerTimeout;

    /**
     * @param duration    no request is sent after this; {@code null} for no deadline
     * @param maxRequests no more requests than this in all; {@code Long.MAX_VALUE} for no limit
     */
    public ClosedLoop(int concurrency, Duration duration, long maxRequests, Duration answerTimeout) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.concurrency = concurrency;
        this.duration = duration;
        this.maxRequests = maxRequests;
        this.answerTimeout = answerTimeout;
    }

    public LoadResult run(Call call) throws InterruptedException {
        Run run = new Run(call, System.nanoTime());
        for (int client = 0; client < concurrency; client++) {
            run.nextRequest();
        }
        OpenLoop.await(run.finished, answerTimeout.plus(duration == null ? Duration.ofHours(1) : duration));
        double seconds = Math.max(1e-9, (run.lastAnswer.get() - run.start) / 1e9);
        Latencies.Summary service = run.serviceTime.summary();
        return new LoadResult(0, concurrency, run.issued.get(), run.tally.succeeded(), run.tally.snapshot(), seconds,
                run.tally.succeeded() / seconds, service, service);
    }

    private final class Run {
        final Call call;
        final long start;
        final long deadline;
        final Tally tally = new Tally();
        final Latencies serviceTime = new Latencies();
        final AtomicLong issued = new AtomicLong();
        final AtomicLong lastAnswer;
        final AtomicInteger activeClients = new AtomicInteger(concurrency);
        final CompletableFuture<Void> finished = new CompletableFuture<>();

        Run(Call call, long start) {
            this.call = call;
            this.start = start;
            this.deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
            this.lastAnswer = new AtomicLong(start);
        }

        /**
         * One client's next request, or its end. A request that is answered at once (it failed before leaving) is
         * followed in this loop rather than by recursion, so a client that keeps failing cannot exhaust the stack.
         */
        void nextRequest() {
            while (true) {
                long sequence = issued.getAndIncrement();
                if (sequence >= maxRequests || System.nanoTime() >= deadline) {
                    stopClient();
                    return;
                }
                long sent = System.nanoTime();
                CompletableFuture<Outcome> answer = OpenLoop.send(call, sequence);
                if (answer == null) {
                    stopClient();
                    return;
                }
                if (!answer.isDone()) {
                    answer.whenComplete((outcome, failure) -> {
                        answered(sent, outcome, failure);
                        nextRequest();
                    });
                    return;
                }
                Outcome outcome = answer.exceptionally(Tally::failure).join();
                answered(sent, outcome, null);
            }
        }

        /** This client sends nothing more; the sequence number it drew was not used. */
        private void stopClient() {
            issued.decrementAndGet();
            if (activeClients.decrementAndGet() == 0) {
                finished.complete(null);
            }
        }

        private void answered(long sent, Outcome outcome, Throwable failure) {
            long now = System.nanoTime();
            serviceTime.record(Schedule.latency(sent, now));
            tally.count(failure == null ? outcome : Tally.failure(failure));
            lastAnswer.accumulateAndGet(now, Math::max);
        }
    }
}
