package dev.lunas.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Instruments scheduled jobs: {@code job_execution_time_seconds{job_name, outcome}} per run, and the
 * {@code scheduler_alive} heartbeat, which goes to 0 when no job has started for the configured time
 * (a stopped scheduler is otherwise silent).
 */
@ApplicationScoped
public class JobMetrics {

    private final MeterRegistry registry;
    private final Heartbeat scheduler;

    public JobMetrics(MeterRegistry registry,
                      @ConfigProperty(name = "lunas.jobs.heartbeat-timeout", defaultValue = "2m") Duration timeout) {
        this.registry = registry;
        this.scheduler = Heartbeat.register(registry, "scheduler.alive",
                "1 while scheduled jobs keep starting, 0 when the scheduler has stalled", timeout);
    }

    /** Runs one execution of a job, timing it whether it succeeds or fails. */
    public <T> Uni<T> run(String jobName, Supplier<Uni<T>> job) {
        return Uni.createFrom().deferred(() -> {
            scheduler.beat();
            Timer.Sample sample = Timer.start(registry);
            return job.get().onItemOrFailure().invoke((item, failure) -> sample.stop(Timer.builder("job.execution.time")
                    .description("Duration of one run of a scheduled job")
                    .tag("job_name", jobName)
                    .tag("outcome", failure == null ? "success" : "failure")
                    .register(registry)));
        });
    }
}
