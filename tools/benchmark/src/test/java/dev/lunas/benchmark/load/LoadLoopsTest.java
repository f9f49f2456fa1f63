package dev.lunas.benchmark.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadLoopsTest {

    /** Time that moves only when the generator waits, or when a request pretends to take time. */
    private static final class HandTicker implements Ticker {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepUntil(long nanoTime) {
            now = Math.max(now, nanoTime);
        }
    }

    @Test
    void anOpenLoopSendsAtItsRateAndTalliesEveryAnswer() throws InterruptedException {
        HandTicker ticker = new HandTicker();
        Call call = sequence -> CompletableFuture.completedFuture(sequence % 10 == 0 ? Outcome.other("409 sold-out") : Outcome.success("201"));

        LoadResult result = new OpenLoop(200, Duration.ofSeconds(2), Duration.ofSeconds(1), 1_000, ticker).run(call);

        assertThat(result.sent()).isEqualTo(400);
        assertThat(result.succeeded()).isEqualTo(360);
        assertThat(result.outcomes()).containsEntry("201", 360L).containsEntry("409 sold-out", 40L);
        assertThat(result.failed()).isEqualTo(40);
        assertThat(result.seconds()).isCloseTo(2.0, within(0.01));
        assertThat(result.successesPerSecond()).isCloseTo(180, within(1.0));
        assertThat(result.targetRate()).isEqualTo(200);
        assertThat(result.latency().maxMs()).as("answered the moment each left, on time").isCloseTo(0, within(0.01));
    }

    @Test
    void aStallIsChargedToEveryRequestThatShouldHaveLeftDuringIt() throws InterruptedException {
        HandTicker ticker = new HandTicker();
        // the first request holds the sender for 100 ms (a GC pause, a slow connect): the next 100 leave late
        Call call = sequence -> {
            if (sequence == 0) {
                ticker.now += Duration.ofMillis(100).toNanos();
            }
            return CompletableFuture.completedFuture(Outcome.success("200"));
        };

        LoadResult result = new OpenLoop(1_000, Duration.ofMillis(200), Duration.ofSeconds(1), 1_000, ticker).run(call);

        assertThat(result.sent()).isEqualTo(200);
        assertThat(result.latency().maxMs()).as("the first request").isCloseTo(100, within(0.5));
        assertThat(result.latency().p90Ms()).as("the late ones, counted from when they were due").isCloseTo(80, within(1.5));
        assertThat(result.latency().p50Ms()).isCloseTo(0, within(0.01));
        assertThat(result.serviceTime().p90Ms()).as("without the correction the stall would hide").isCloseTo(0, within(0.01));
    }

    @Test
    void anOpenLoopStopsSendingWhenTheSupplyRunsOutAndSaysSo() throws InterruptedException {
        Call call = sequence -> sequence < 5 ? CompletableFuture.completedFuture(Outcome.success("200")) : null;

        LoadResult result = new OpenLoop(100, Duration.ofMillis(100), Duration.ofSeconds(1), 1_000, new HandTicker()).run(call);

        assertThat(result.succeeded()).isEqualTo(5);
        assertThat(result.outcomes()).containsEntry("not sent (nothing left to send)", 5L);
    }

    @Test
    void anOpenLoopRefusesToPileUpMoreThanItsLimit() throws InterruptedException {
        CompletableFuture<Outcome> never = new CompletableFuture<>();
        Call call = sequence -> sequence < 3 ? never : CompletableFuture.completedFuture(Outcome.success("200"));

        LoadResult result = new OpenLoop(100, Duration.ofMillis(100), Duration.ofMillis(10), 3, new HandTicker()).run(call);

        assertThat(result.outcomes()).containsEntry("not sent (generator limit)", 7L);
        assertThat(result.succeeded()).isZero();
    }

    @Test
    void aFailedRequestIsTalliedByItsCause() throws InterruptedException {
        Call call = sequence -> CompletableFuture.failedFuture(new java.net.http.HttpTimeoutException("slow"));

        LoadResult result = new OpenLoop(10, Duration.ofMillis(300), Duration.ofSeconds(1), 100, new HandTicker()).run(call);

        assertThat(result.outcomes()).containsOnlyKeys("timeout").containsEntry("timeout", 3L);
    }

    @Test
    void aClosedLoopKeepsExactlyItsClientsBusyUntilItsRequestsAreSpent() throws InterruptedException {
        ExecutorService answers = Executors.newFixedThreadPool(8);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        Call call = sequence -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return CompletableFuture.supplyAsync(() -> {
                inFlight.decrementAndGet();
                return Outcome.success("201");
            }, answers);
        };
        try {
            LoadResult result = new ClosedLoop(4, null, 1_000, Duration.ofSeconds(30)).run(call);

            assertThat(result.sent()).isEqualTo(1_000);
            assertThat(result.succeeded()).isEqualTo(1_000);
            assertThat(result.concurrency()).isEqualTo(4);
            assertThat(mostInFlight.get()).isBetween(1, 4);
            assertThat(result.latency()).isEqualTo(result.serviceTime());
        } finally {
            answers.shutdownNow();
        }
    }

    @Test
    void aClosedLoopWhoseRequestsFailAtOnceNeitherSpinsForeverNorOverflowsTheStack() throws InterruptedException {
        Call call = sequence -> {
            throw new IllegalStateException("refused before sending");
        };

        LoadResult result = new ClosedLoop(2, null, 50_000, Duration.ofSeconds(30)).run(call);

        assertThat(result.sent()).isEqualTo(50_000);
        assertThat(result.outcomes()).containsEntry("IllegalStateException", 50_000L);
    }

    @Test
    void aClosedLoopEndsWhenTheSupplyRunsOut() throws InterruptedException {
        AtomicInteger supply = new AtomicInteger(30);
        Call call = sequence -> supply.getAndDecrement() > 0 ? CompletableFuture.completedFuture(Outcome.success("200")) : null;

        LoadResult result = new ClosedLoop(8, Duration.ofMinutes(5), Long.MAX_VALUE, Duration.ofSeconds(30)).run(call);

        assertThat(result.sent()).isEqualTo(30);
        assertThat(result.succeeded()).isEqualTo(30);
    }
}
