package dev.lunas.common.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunas.common.http.Correlation;
import dev.lunas.common.job.Jobs.Batch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Jobs jobs = new Jobs(registry, Duration.ofMinutes(2));

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
}
