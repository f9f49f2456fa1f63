package dev.lunas.common.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lunas.common.http.Correlation;
import dev.lunas.common.job.Jobs.Batch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Jobs jobs = new Jobs(registry, Duration.ofMinutes(2), name -> Duration.ofMinutes(5));

    @Test
    void batchesStopAtTheFirstShortBatch() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> sizes = List.of(10, 10, 4, 10);
        int total = Jobs.batches(100, () -> Uni.createFrom().item(Batch.of(sizes.get(calls.getAndIncrement()), 10)))
                .await().indefinitely();
        assertThat(total).isEqualTo(24);
        assertThat(calls).hasValue(3);
    }

    @Test
    void batchesStopAtTheBoundEvenWhileFull() {
        AtomicInteger calls = new AtomicInteger();
        int total = Jobs.batches(5, () -> {
            calls.incrementAndGet();
            return Uni.createFrom().item(Batch.of(10, 10));
        }).await().indefinitely();
        assertThat(total).isEqualTo(50);
        assertThat(calls).hasValue(5);
    }

    @Test
    void aLastBatchEndsTheRun() {
        AtomicInteger calls = new AtomicInteger();
        int total = Jobs.batches(5, () -> Uni.createFrom().item(calls.incrementAndGet() == 2 ? Batch.last(3) : Batch.of(10, 10)))
                .await().indefinitely();
        assertThat(total).isEqualTo(13);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> Jobs.batches(0, () -> Uni.createFrom().item(Batch.last(0))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachRunIsTimedByOutcomeAndBeatsTheHeartbeat() {
        assertThat(registry.get("scheduler.alive").gauge().value()).isZero();
        assertThat(jobs.run("tidy", () -> Uni.createFrom().item(7)).await().indefinitely()).isEqualTo(7);
        assertThatThrownBy(() -> jobs.run("tidy", () -> Uni.createFrom().failure(new IllegalStateException("boom")))
                .await().indefinitely()).hasMessage("boom");

        assertThat(registry.get("job.execution.time").tag("job_name", "tidy").tag("outcome", "success").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("job.execution.time").tag("job_name", "tidy").tag("outcome", "failure").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("scheduler.alive").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void eachRunWorksUnderAFreshCorrelationId() {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            jobs.run("tidy", () -> Uni.createFrom().item(Correlation.currentId())).invoke(seen::add).await().indefinitely();
        }
        assertThat(seen).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isNotBlank());
    }

    @Test
    void aScheduledRunEndsQuietlyOnFailureAndRunsAgainNextTime() {
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            jobs.scheduled("flaky", () -> {
                runs.incrementAndGet();
                return Uni.createFrom().failure(new IllegalStateException("down"));
            }).await().indefinitely();
        }
        assertThat(runs).hasValue(2);
        assertThat(registry.get("job.execution.time").tag("job_name", "flaky").tag("outcome", "failure").timer().count())
                .isEqualTo(2);
    }

    @Test
    void aDeclaredJobIsExportedBeforeItsFirstRun() {
        jobs.declare("tidy");

        assertThat(registry.get("job.timeout").tag("job_name", "tidy").counter().count()).isZero();
        assertThat(registry.get("job.execution.time").tag("job_name", "tidy").tag("outcome", "success").timer().count())
                .isZero();
        assertThat(registry.get("job.execution.time").tag("job_name", "tidy").tag("outcome", "failure").timer().count())
                .isZero();
    }

    @Test
    void aRunOutlastingItsBudgetIsCountedOnceAndLeftToFinish() {
        Jobs budgeted = new Jobs(registry, Duration.ofMinutes(2),
                name -> "slow".equals(name) ? Duration.ofMillis(10) : Duration.ofMinutes(5));
        CompletableFuture<Integer> release = new CompletableFuture<>();
        CompletableFuture<Integer> run = budgeted.run("slow", () -> Uni.createFrom().completionStage(release))
                .subscribeAsCompletionStage();
        Counter timeouts = registry.get("job.timeout").tag("job_name", "slow").counter();

        await().atMost(Duration.ofSeconds(10)).until(() -> timeouts.count() == 1);
        assertThat(run).isNotDone();

        release.complete(3);
        assertThat(run.join()).isEqualTo(3);
        assertThat(timeouts.count()).isEqualTo(1);
        assertThat(registry.get("job.execution.time").tag("job_name", "slow").tag("outcome", "success").timer().count())
                .isEqualTo(1);
    }

    @Test
    void aRunWithinItsBudgetIsNotCounted() {
        assertThat(jobs.run("quick", () -> Uni.createFrom().item(1)).await().indefinitely()).isEqualTo(1);
        assertThatThrownBy(() -> jobs.run("quick", () -> Uni.createFrom().failure(new IllegalStateException("boom")))
                .await().indefinitely()).hasMessage("boom");

        assertThat(registry.get("job.timeout").tag("job_name", "quick").counter().count()).isZero();
    }

    @Test
    void theBudgetIsConfiguredForAllJobsAndOverriddenForOne() {
        var config = new SmallRyeConfigBuilder()
                .withDefaultValue("lunas.jobs.slow.timeout", "PT0.01S")
                .build();
        Jobs configured = new Jobs(registry, config, Duration.ofMinutes(2), Duration.ofMinutes(5));
        CompletableFuture<Integer> release = new CompletableFuture<>();
        CompletableFuture<Integer> slow = configured.run("slow", () -> Uni.createFrom().completionStage(release))
                .subscribeAsCompletionStage();
        CompletableFuture<Integer> other = configured.run("other", () -> Uni.createFrom().completionStage(release))
                .subscribeAsCompletionStage();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get("job.timeout").tag("job_name", "slow").counter().count() == 1);
        release.complete(1);
        assertThat(slow.join()).isEqualTo(1);
        assertThat(other.join()).isEqualTo(1);
        assertThat(registry.get("job.timeout").tag("job_name", "other").counter().count()).isZero();
    }
}
