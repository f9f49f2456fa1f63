package dev.lunas.systemtest.faults;

import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls every service's probes the way Kubernetes would ({@code /q/health/live}, {@code /q/health/ready}, a
 * 2 s timeout), and keeps what it saw: whether liveness ever failed (Kubernetes would have restarted the pod),
 * and when readiness went down and came back.
 */
final class HealthWatch implements AutoCloseable {

    record Sample(Instant at, Service service, boolean live, Duration liveTook, boolean ready) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final SystemUnderTest system;
    private final Http http = new Http(TIMEOUT);
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newScheduledThreadPool(Service.values().length);

    HealthWatch(SystemUnderTest system, Duration interval) {
        this.system = system;
        for (Service service : Service.values()) {
            poller.scheduleWithFixedDelay(() -> sample(service), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void sample(Service service) {
        URI base = system.baseUrl(service);
        long started = System.nanoTime();
        boolean live = answers200(base.resolve("/q/health/live"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        boolean ready = answers200(base.resolve("/q/health/ready"));
        samples.add(new Sample(Instant.now(), service, live, took, ready));
    }

    private boolean answers200(URI uri) {
        try {
            return http.get(uri).statusCode() == 200;
        } catch (UncheckedIOException | IllegalStateException e) {
            return false;
        }
    }

    Map<Service, Long> livenessFailures() {
        Map<Service, Long> failures = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            failures.put(service, samples.stream().filter(s -> s.service() == service && !s.live()).count());
        }
        return failures;
    }

    Duration slowestLiveness() {
        return samples.stream().map(Sample::liveTook).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Whether the service was seen not ready between the two instants. */
    boolean sawNotReady(Service service, Instant from, Instant to) {
        return samples.stream().anyMatch(s -> s.service() == service && !s.ready() && !s.at().isBefore(from)
                && !s.at().isAfter(to));
    }

    /** The first time after {@code since} the service was seen ready. */
    Optional<Instant> readyAgain(Service service, Instant since) {
        return samples.stream().filter(s -> s.service() == service && s.ready() && s.at().isAfter(since))
                .map(Sample::at).min(Instant::compareTo);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
