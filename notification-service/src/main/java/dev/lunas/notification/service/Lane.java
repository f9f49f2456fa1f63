package dev.lunas.notification.service;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A single-flight work loop: at most one cycle runs at a time; a wake-up during a cycle makes it run
 * once more afterwards, so no wake-up is lost and none piles up. A cycle answers whether more work is
 * waiting right now (a full batch), in which case the lane goes round again at once. A lane can also be
 * woken later (a retry falling due, a breaker reopening) by one timer, always the earliest requested.
 */
final class Lane {

    private static final Logger LOG = Logger.getLogger(Lane.class);

    private final String name;
    private final Vertx vertx;
    private final Supplier<Uni<Boolean>> cycle;
    private final Runnable afterCycle;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean stopped;
    private final Object timerLock = new Object();
    private long timerId = -1;
    private long timerDueNanos;

    Lane(String name, Vertx vertx, Supplier<Uni<Boolean>> cycle, Runnable afterCycle) {
        this.name = name;
        this.vertx = vertx;
        this.cycle = cycle;
        this.afterCycle = afterCycle;
    }

    void wake() {
        requested.set(true);
        if (!stopped && running.compareAndSet(false, true)) {
            dispatch();
        }
    }

    /** Wakes the lane after the delay unless an earlier wake-up is already set. */
    void wakeIn(Duration delay) {
        if (stopped) {
            return;
        }
        long millis = Math.max(1, delay.toMillis());
        long due = System.nanoTime() + millis * 1_000_000;
        synchronized (timerLock) {
            if (timerId >= 0 && timerDueNanos <= due) {
                return;
            }
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
            }
            timerDueNanos = due;
            timerId = vertx.setTimer(millis, id -> {
                synchronized (timerLock) {
                    if (timerId == id) {
                        timerId = -1;
                    }
                }
                wake();
            });
        }
    }

    /** Waits (blocking: shutdown only) until no cycle runs or the deadline passes; true when idle. */
    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        synchronized (this) {
            while (running.get()) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                wait(Math.max(1, remaining / 1_000_000));
            }
            return true;
        }
    }

    /** No cycle starts after this; one already running finishes. */
    void stop() {
        stopped = true;
        synchronized (timerLock) {
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
                timerId = -1;
            }
        }
    }

    private void runCycle() {
        requested.set(false);
        Uni<Boolean> work;
        try {
            work = cycle.get();
        } catch (RuntimeException e) {
            work = Uni.createFrom().failure(e);
        }
        work.subscribe().with(more -> finish(more), failure -> {
            // one line, no stack trace: while the database is down this repeats on every wake-up
            LOG.warnf("Lane %s: cycle failed, the next wake-up tries again: %s", name, failure);
            finish(false);
        });
    }

    private void finish(boolean more) {
        afterCycle.run();
        if (more) {
            requested.set(true);
        }
        running.set(false);
        synchronized (this) {
            notifyAll();
        }
        if (requested.get() && !stopped && running.compareAndSet(false, true)) {
            dispatch();
        }
    }

    /**
     * Each cycle runs on a fresh duplicated context, as a request would: the database callbacks stay on
     * it, and the logging context (order_id, event_type) set there is the one the log lines read.
     */
    private void dispatch() {
        VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()).runOnContext(ignored -> runCycle());
    }
}
