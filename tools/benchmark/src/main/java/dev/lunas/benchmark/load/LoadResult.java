package dev.lunas.benchmark.load;

import dev.lunas.launcher.measure.Latencies;
import java.util.Map;

/**
 * What a load run did.
 *
 * @param targetRate         open loop: the fixed arrival rate asked for (per second); closed loop: 0
 * @param concurrency        closed loop: the number of clients; open loop: 0
 * @param sent               requests sent
 * @param succeeded          requests whose answer counts as the measured work
 * @param outcomes           every request by how it ended
 * @param seconds            from the first intended send to the last answer
 * @param successesPerSecond {@code succeeded / seconds}
 * @param latency            open loop: from each request's intended send time to its answer (coordinated
 *                           omission corrected); closed loop: the same as {@code serviceTime}
 * @param serviceTime        from the moment each request really left to its answer
 */
public record LoadResult(double targetRate, int concurrency, long sent, long succeeded, Map<String, Long> outcomes,
                         double seconds, double successesPerSecond, Latencies.Summary latency,
                         Latencies.Summary serviceTime) {

    /** Requests that ended any other way than the measured success. */
    public long failed() {
        return sent - succeeded;
    }
}
