package dev.lunas.benchmark.load;

import java.util.concurrent.CompletableFuture;

/** One request of a load run; {@code sequence} counts the run's requests from 0. */
@FunctionalInterface
public interface Call {

    /** The answer to come, or {@code null} when there is nothing left to send (the run's supply is used up). */
    CompletableFuture<Outcome> send(long sequence);
}
