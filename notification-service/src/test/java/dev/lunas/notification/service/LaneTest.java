package dev.lunas.notification.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LaneTest {

    private final Vertx vertx = Vertx.vertx();
    private final ConcurrentLinkedQueue<CompletableFuture<Boolean>> cycles = new ConcurrentLinkedQueue<>();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final Lane lane = new Lane("test", vertx, () -> {
        started.incrementAndGet();
        CompletableFuture<Boolean> cycle = new CompletableFuture<>();
        cycles.add(cycle);
        return Uni.createFrom().completionStage(cycle);
    }, finished::incrementAndGet);

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void wakeUpsDuringACycleCollapseIntoOneMoreCycle() {
        lane.wake();
        await().until(() -> started.get() == 1);
        lane.wake();
        lane.wake();
        lane.wake();
        assertThat(started).hasValue(1);

        cycles.poll().complete(false);
        await().until(() -> started.get() == 2);
        cycles.poll().complete(false);
        await().until(() -> finished.get() == 2);
        assertThat(started).hasValue(2);
    }

    @Test
    void aFullBatchGoesRoundAgainAtOnce() {
        lane.wake();
        await().until(() -> started.get() == 1);
        cycles.poll().complete(true);
        await().until(() -> started.get() == 2);
        cycles.poll().complete(false);
        await().until(() -> finished.get() == 2);
        assertThat(started).hasValue(2);
    }

    @Test
    void stoppingWaitsForTheCycleInFlightAndStartsNoOther() throws InterruptedException {
        lane.wake();
        await().until(() -> started.get() == 1);
        lane.stop();

        assertThat(lane.awaitIdle(System.nanoTime() + Duration.ofMillis(50).toNanos())).isFalse();
        lane.wake();
        cycles.poll().complete(true);
        assertThat(lane.awaitIdle(System.nanoTime() + Duration.ofSeconds(5).toNanos())).isTrue();
        assertThat(started).hasValue(1);
    }

    @Test
    void aDelayedWakeUpFiresOnceAtTheEarliestTime() {
        lane.wakeIn(Duration.ofHours(1));
        lane.wakeIn(Duration.ofMillis(20));
        lane.wakeIn(Duration.ofMinutes(5));

        await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 1);
        cycles.poll().complete(false);
        await().until(() -> finished.get() == 1);
        assertThat(started).hasValue(1);
    }

    @Test
    void aFailedCycleDoesNotStopTheLane() {
        lane.wake();
        await().until(() -> started.get() == 1);
        cycles.poll().completeExceptionally(new IllegalStateException("database down"));
        await().until(() -> finished.get() == 1);

        lane.wake();
        await().until(() -> started.get() == 2);
        cycles.poll().complete(false);
    }
}
