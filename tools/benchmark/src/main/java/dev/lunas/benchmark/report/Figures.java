package dev.lunas.benchmark.report;

import dev.lunas.benchmark.load.LoadResult;
import dev.lunas.launcher.measure.Latencies;
import dev.lunas.launcher.measure.Machine;
import java.util.List;
import java.util.Map;

/** Everything one run of {@code ./lunas bench} found; written as JSON and rendered as Markdown. */
public final class Figures {

    private Figures() {
    }

    /** The whole result. */
    public record Report(String mode, String startedAt, String finishedAt, Machine machine, Environment environment,
                         List<Row> summary, Startup startup, Notifications notifications, Checkout checkout,
                         FlashSale flashSale, Webhook webhook, List<PhaseCpu> cpu, List<Sql> sql, List<String> notes) {
    }

    /**
     * Where the CPU went during a phase.
     *
     * @param msPerRequest       CPU milliseconds per successful request, by part of the system
     * @param machineBusyPercent share of all cores' time that was not idle
     * @param otherPercent       share of all cores' time that other processes (and interrupts) took
     */
    public record PhaseCpu(String phase, long requests, Map<String, Double> msPerRequest, double machineBusyPercent,
                           double otherPercent) {
    }

    /** One line of the summary table. */
    public record Row(String figure, String measured, String reference, Double ratio, String goal) {
    }

    /**
     * How the system ran.
     *
     * @param poolSizes     the services' configured reactive pool sizes, and pgbench's client count per scenario
     * @param peakSessions  the most database sessions each service held at once during the load phases
     */
    public record Environment(String postgres, Map<String, String> postgresSettings, String pgbench,
                              List<String> serviceJvmOptions, Map<String, Integer> poolSizes, Map<String, Integer> peakSessions,
                              String loadAverageBefore, String loadAverageAfter, String concurrentLunasRun) {
    }

    public record Startup(int restarts, List<ServiceStartup> services) {
    }

    /**
     * @param firstStartMs     the very first start, which also migrates the empty database
     * @param restartsMs       start to readiness on each later start (the database is warm)
     * @param residentAfterStartMb resident memory right after each restart and one request
     */
    public record ServiceStartup(String service, long firstStartMs, List<Long> restartsMs, double p50Ms, double maxMs,
                                 List<Double> residentAfterStartMb, Double residentAfterLoadMb, Double peakResidentMb) {
    }

    public record Notifications(Steady steady, Backlog backlog) {
    }

    /**
     * Hand-off latency at a steady rate: from the event's outbox {@code created_at} (the producing transaction's
     * time) to the moment the SMTP sink had the whole mail; split at the moment the relay made the delivery row.
     *
     * @param relay from the outbox row's {@code created_at} to the delivery row's
     * @param send  from the delivery row's {@code created_at} to the SMTP sink
     */
    public record Steady(double checkoutsPerSecond, double seconds, long mails, long expected, Latencies.Summary handOff,
                         Latencies.Summary relay, Latencies.Summary send) {
    }

    /**
     * @param drainSeconds          from the relay's first claim of the backlog to the last mail's hand-off
     * @param drainFromReadySeconds from notification-service's readiness to the last hand-off
     * @param ceilingSeconds        what SMTP alone allows: messages x latency / send concurrency
     * @param peakConcurrentHandOffs the most mails the sink held at once (its latency makes each last that long)
     */
    public record Backlog(int messages, int sendConcurrency, double smtpLatencyMs, double ceilingSeconds,
                          Double drainSeconds, Double drainFromReadySeconds, Double ratioToCeiling, long delivered,
                          long lost, long duplicates, int peakConcurrentHandOffs, double checkoutSeconds) {
    }

    /** @param ratio saturation throughput over the reference */
    public record Checkout(LoadResult warmup, LoadResult saturation, LoadResult openLoop, Reference reference, Double ratio) {

        public Checkout with(Reference measured) {
            return new Checkout(warmup, saturation, openLoop, measured,
                    Reference.ratio(saturation.successesPerSecond(), measured.requestsPerSecond()));
        }
    }

    /**
     * @param sold          201 answers (with or without payment token)
     * @param soldOut       409 sold-out answers
     * @param reservedInDatabase the package's reserved count afterwards
     * @param ordersInDatabase   orders of the package afterwards
     * @param salesPerSecond sales over the time from the first request to the last sale
     */
    public record FlashSale(int quota, int buyers, int concurrency, long sold, long soldOut, long other,
                            long reservedInDatabase, long ordersInDatabase, boolean exact, double secondsToSellOut,
                            double salesPerSecond, LoadResult load, Reference reference, Double ratio) {

        public FlashSale with(Reference measured) {
            return new FlashSale(quota, buyers, concurrency, sold, soldOut, other, reservedInDatabase, ordersInDatabase, exact,
                    secondsToSellOut, salesPerSecond, load, measured, Reference.ratio(salesPerSecond, measured.requestsPerSecond()));
        }
    }

    /** @param ratio saturation throughput (notifications per second) over the reference */
    public record Webhook(LoadResult saturation, LoadResult openLoop, Reference reference, Double ratio) {

        public Webhook with(Reference measured) {
            return new Webhook(saturation, openLoop, measured,
                    Reference.ratio(saturation.successesPerSecond(), measured.requestsPerSecond()));
        }
    }

    /**
     * The statements a scenario's request ran, as captured, and what the load phases ran of them per request.
     *
     * @param callsPerRequest   for each statement (in script order), its calls per successful request during the
     *                          scenario's load, from pg_stat_statements
     */
    public record Sql(String scenario, List<String> services, int transactions, int statements, String protocol,
                      List<String> statementsRun, List<Double> callsPerRequest, String script) {
    }
}
