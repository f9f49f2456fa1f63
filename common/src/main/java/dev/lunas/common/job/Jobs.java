package dev.lunas.common.job;

import dev.lunas.common.http.Correlation;
import dev.lunas.common.logging.EventLog;
import dev.lunas.common.metrics.Heartbeat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs every scheduled job of every service the same way. Each run
 * <ul>
 *   <li>beats the {@code scheduler_alive} heartbeat, which goes to 0 when no job has started for the configured
 *       time (a stopped scheduler is otherwise silent);</li>
 *   <li>works under a correlation id of its own, so its log lines and audit rows can be told from another run's;</li>
 *   <li>is timed as {@code job_execution_time_seconds{job_name, outcome}};</li>
 *   <li>has a time budget ({@code lunas.jobs.timeout}, 5 minutes, or {@code lunas.jobs.<job name>.timeout} for one
 *       job): a run still going when it is spent counts once in {@code job_timeout_total{job_name}} and logs
 *       {@code JOB_TIMEOUT}, and is left to finish (stopping it could abandon a transaction half-way);</li>
 *   <li>logs its failure once, as {@code JOB_FAILED} with the job's name as component.</li>
 * </ul>
 * A job {@link #declare declares} itself when it is created, so its meters are exported from start-up, before
 * its first run. A job that works through a backlog does it in bounded batches ({@link #batches}), so no
 * transaction grows large and no run goes on for ever.
 */
@ApplicationScoped
public class Jobs {

    private final MeterRegistry registry;
    private final Heartbeat scheduler;
    private final Function<String, Duration> budgets;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    @Inject
    public Jobs(MeterRegistry registry, Config config,
                @ConfigProperty(name = "lunas.jobs.heartbeat-timeout", defaultValue = "2m") Duration heartbeatTimeout,
                @ConfigProperty(name = "lunas.jobs.timeout", defaultValue = "5m") Duration timeout) {
        this(registry, heartbeatTimeout, jobName -> config.getOptionalValue("lunas.jobs." + jobName + ".timeout",
                Duration.class).orElse(timeout));
    }

    /** {@code budgets} answers each job's time budget by its name. */
    Jobs(MeterRegistry registry, Duration heartbeatTimeout, Function<String, Duration> budgets) {
        this.registry = registry;
        this.budgets = budgets;
        this.scheduler = Heartbeat.register(registry, "scheduler.alive",
                "1 while scheduled jobs keep starting, 0 when the scheduler has stalled", heartbeatTimeout);
    }

    /** Registers the job's meters at 0, so they are exported before its first run. */
    public void declare(String jobName) {
        job(jobName);
    }

    /** One run of a job, for a caller that wants its result or its failure (a test, an admin action). */
    public <T> Uni<T> run(String jobName, Supplier<Uni<T>> work) {
        Job job = job(jobName);
        return Uni.createFrom().deferred(() -> {
            scheduler.beat();
            Correlation.begin(null);
            Timer.Sample sample = Timer.start(registry);
            ScheduledFuture<?> overrun = Infrastructure.getDefaultWorkerPool()
                    .schedule(job::overran, job.budget().toNanos(), TimeUnit.NANOSECONDS);
            return Uni.createFrom().deferred(work::get)
                    .onTermination().invoke(() -> overrun.cancel(false))
                    .onItemOrFailure().invoke((item, failure) -> {
                        sample.stop(failure == null ? job.succeeded() : job.failed());
                        if (failure != null) {
                            job.log().warn("JOB_FAILED", null, "Job %s failed: %s", jobName, describe(failure));
                        }
                    });
        });
    }

    /**
     * One run of a job from its {@code @Scheduled} method: as {@link #run}, but a failure, once logged, ends
     * the run quietly; the job runs again on its schedule.
     */
    public Uni<Void> scheduled(String jobName, Supplier<? extends Uni<?>> job) {
        return run(jobName, () -> job.get().replaceWithVoid()).onFailure().recoverWithNull();
    }

    /**
     * Runs batch after batch while each comes back full, at most {@code maxBatches} of them, and answers the sum
     * of what they did. The batch supplier keeps its own position (a key set cursor, or none when each batch
     * removes what it handled).
     */
    public static Uni<Integer> batches(int maxBatches, Supplier<Uni<Batch>> batch) {
        if (maxBatches < 1) {
            throw new IllegalArgumentException("maxBatches must be at least 1, was " + maxBatches);
        }
        return batch.get().chain(done -> done.full() && maxBatches > 1
                ? batches(maxBatches - 1, batch).map(more -> done.count() + more)
                : Uni.createFrom().item(done.count()));
    }

    /** What one batch did: how many items, and whether it was full (so another may be waiting). */
    public record Batch(int count, boolean full) {

        /** A batch that handled {@code count} items of at most {@code size}. */
        public static Batch of(int count, int size) {
            return new Batch(count, count >= size);
        }

        /** A batch that ends the run whatever it handled (nothing to do, or a dependency cannot answer). */
        public static Batch last(int count) {
            return new Batch(count, false);
        }
    }

    private Job job(String jobName) {
        return jobs.computeIfAbsent(jobName, name -> new Job(name, budgets.apply(name),
                Counter.builder("job.timeout")
                        .description("Runs of a scheduled job that outlasted its time budget (lunas.jobs.timeout)")
                        .tag("job_name", name)
                        .register(registry),
                timer(name, "success"), timer(name, "failure"), EventLog.of(Jobs.class, name)));
    }

    private Timer timer(String jobName, String outcome) {
        return Timer.builder("job.execution.time")
                .description("Duration of one run of a scheduled job")
                .tag("job_name", jobName)
                .tag("outcome", outcome)
                .register(registry);
    }

    /** A job's budget and meters. */
    private record Job(String name, Duration budget, Counter timeouts, Timer succeeded, Timer failed, EventLog log) {

        void overran() {
            timeouts.increment();
            log.warn("JOB_TIMEOUT", null, "Job %s has run longer than its budget of %s; it is left to finish",
                    name, budget);
        }
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() != null ? failure.getClass().getSimpleName() + ": " + failure.getMessage()
                : failure.getClass().getSimpleName();
    }
}
