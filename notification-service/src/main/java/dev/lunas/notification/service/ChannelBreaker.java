package dev.lunas.notification.service;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A circuit breaker that is asked before work is claimed rather than around the call: while it is open
 * the channel claims nothing, so an outage consumes no attempts. SmallRye's breaker only changes state
 * when a call passes through it, which cannot tell a worker that claims nothing when a probe may go.
 * Only transient failures count against the channel; a rejected address says nothing about its health.
 */
public final class ChannelBreaker {

    public enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private final int window;
    private final double failureRatio;
    private final long delayNanos;
    private final LongSupplier nanoClock;

    private final boolean[] failures;
    private int recorded;
    private int next;
    private int failed;
    private State state = State.CLOSED;
    private long openedAt;
    private boolean probeInFlight;

    public ChannelBreaker(int window, double failureRatio, Duration delay, LongSupplier nanoClock) {
        this.window = Math.max(1, window);
        this.failureRatio = failureRatio;
        this.delayNanos = delay.toNanos();
        this.nanoClock = nanoClock;
        this.failures = new boolean[this.window];
    }

    /** How many deliveries may be claimed now: all of {@code wanted} when closed, one probe, or none. */
    public synchronized int permits(int wanted) {
        if (state == State.OPEN && nanoClock.getAsLong() - openedAt >= delayNanos) {
            state = State.HALF_OPEN;
            probeInFlight = false;
        }
        return switch (state) {
            case CLOSED -> wanted;
            case OPEN -> 0;
            case HALF_OPEN -> {
                if (probeInFlight || wanted == 0) {
                    yield 0;
                }
                probeInFlight = true;
                yield 1;
            }
        };
    }

    /** Until when claiming stays shut; zero unless open. */
    public synchronized Duration closedFor() {
        if (state != State.OPEN) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, delayNanos - (nanoClock.getAsLong() - openedAt)));
    }

    /** The probe was claimed but found nothing to send: let the next claim probe instead. */
    public synchronized void probeUnused() {
        probeInFlight = false;
    }

    public synchronized void recordSuccess() {
        if (state == State.HALF_OPEN) {
            close();
        } else if (state == State.CLOSED) {
            remember(false);
        }
    }

    public synchronized void recordFailure() {
        if (state == State.HALF_OPEN) {
            open();
        } else if (state == State.CLOSED) {
            remember(true);
            if (recorded == window && failed >= failureRatio * window) {
                open();
            }
        }
    }

    public synchronized State state() {
        return state;
    }

    private void remember(boolean failure) {
        if (recorded == window && failures[next]) {
            failed--;
        }
        failures[next] = failure;
        if (failure) {
            failed++;
        }
        next = (next + 1) % window;
        recorded = Math.min(recorded + 1, window);
    }

    private void open() {
        state = State.OPEN;
        openedAt = nanoClock.getAsLong();
        probeInFlight = false;
    }

    private void close() {
        state = State.CLOSED;
        probeInFlight = false;
        recorded = 0;
        next = 0;
        failed = 0;
        java.util.Arrays.fill(failures, false);
    }
}
