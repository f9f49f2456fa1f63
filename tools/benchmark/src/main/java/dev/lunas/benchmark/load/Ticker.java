package dev.lunas.benchmark.load;

import java.util.concurrent.locks.LockSupport;

/** The time source of a load run: {@link #SYSTEM} for real runs, a hand-driven one in tests. */
interface Ticker {

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long nanoTime) {
            long wait;
            while ((wait = nanoTime - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    };

    long nanoTime();

    /** Returns once {@link #nanoTime()} has reached {@code nanoTime}. */
    void sleepUntil(long nanoTime);
}
