package dev.lunas.launcher.midtrans;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated Midtrans outage of one API: every request answers a 5xx, or is held before it is served (a
 * slow Midtrans, whose answer may come after the caller has given up, as in production). Limited to a
 * number of requests, or open-ended until released.
 */
final class SimulatedFailure {

    /** What the ledger shows of an active failure. */
    record View(String mode, Integer status, Long holdMillis, Integer remaining) {
    }

    private static final int UNLIMITED = -1;

    private final int status;
    private final Duration hold;
    private final AtomicInteger remaining;
    private final CountDownLatch released = new CountDownLatch(1);

    private SimulatedFailure(int status, Duration hold, int times) {
        this.status = status;
        this.hold = hold;
        this.remaining = new AtomicInteger(times > 0 ? times : UNLIMITED);
    }

    static SimulatedFailure error(int status, int times) {
        return new SimulatedFailure(status, null, times);
    }

    static SimulatedFailure hang(Duration hold, int times) {
        return new SimulatedFailure(0, hold, times);
    }

    int status() {
        return status;
    }

    Duration hold() {
        return hold;
    }

    /** Claims this failure for one request; false once a limited failure is used up. */
    boolean take() {
        return remaining.get() == UNLIMITED || remaining.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
    }

    boolean exhausted() {
        return remaining.get() == 0;
    }

    /** Blocks the calling request for the hold time, or until the failure is released. */
    void holdRequest() {
        try {
            released.await(hold.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void release() {
        released.countDown();
    }

    View view() {
        int left = remaining.get();
        return new View(hold == null ? "error" : "hang", hold == null ? status : null,
                hold == null ? null : hold.toMillis(), left == UNLIMITED ? null : left);
    }
}
