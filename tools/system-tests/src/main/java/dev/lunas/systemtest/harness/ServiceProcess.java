package dev.lunas.systemtest.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One service as a child JVM running its packaged {@code quarkus-run.jar} in the production profile, on a
 * port it keeps across restarts. Each start writes its own pair of files: {@code <service>-<n>.log} (standard
 * output, which carries the JSON log) and {@code <service>-<n>.stderr.log} (what the JVM itself prints).
 */
public final class ServiceProcess {

    private static final int LOG_LINES_IN_ERRORS = 40;
    private static final Duration READINESS_POLL = Duration.ofMillis(250);

    private final Service service;
    private final int port;
    private final Path runJar;
    private final Path logDirectory;
    private final Map<String, String> environment;
    private final List<String> jvmOptions;
    private Map<String, String> overrides = Map.of();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Path> logFiles = new ArrayList<>();
    private Process process;
    private int starts;

    ServiceProcess(Service service, int port, Path runJar, Path logDirectory, Map<String, String> environment,
                   List<String> jvmOptions) {
        this.service = service;
        this.port = port;
        this.runJar = runJar;
        this.logDirectory = logDirectory;
        this.environment = Map.copyOf(environment);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** The packaged application of the service in this repository, if it has been built. */
    static Optional<Path> runJar(Path repository, Service service) {
        Path jar = repository.resolve(service.moduleName()).resolve("target/quarkus-app/quarkus-run.jar");
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    public Service service() {
        return service;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process id of the running JVM. */
    public synchronized long pid() {
        if (process == null) {
            throw new HarnessException(service + " was never started");
        }
        return process.pid();
    }

    /** The environment variables set on top of the system's wiring for the next starts (empty: none). */
    public synchronized Map<String, String> overrides() {
        return overrides;
    }

    /** Replaces the extra environment variables; they apply from the next start. */
    synchronized void overrides(Map<String, String> variables) {
        this.overrides = Map.copyOf(variables);
    }

    /** Every log file this service has written in this run, oldest start first. */
    public synchronized List<Path> logFiles() {
        return List.copyOf(logFiles);
    }

    /** Starts the JVM and returns once {@code /q/health/ready} answers 200. */
    void start(Duration readyTimeout) {
        Path stdout;
        synchronized (this) {
            if (isRunning()) {
                throw new HarnessException(service + " is already running");
            }
            starts++;
            stdout = logDirectory.resolve(service.moduleName() + "-" + starts + ".log");
            Path stderr = logDirectory.resolve(service.moduleName() + "-" + starts + ".stderr.log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(runJar.toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(logDirectory.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            // exactly the harness's wiring: a developer's own MIDTRANS_* or QUARKUS_* variables must not leak in
            builder.environment().clear();
            builder.environment().putAll(environment);
            builder.environment().putAll(overrides);
            try {
                Files.createDirectories(logDirectory);
                process = builder.start();
            } catch (IOException e) {
                throw new HarnessException("Cannot start " + service + " (" + runJar + ")", e);
            }
            logFiles.add(stdout);
            logFiles.add(stderr);
        }
        awaitReady(readyTimeout, stdout);
    }

    private void awaitReady(Duration timeout, Path stdout) {
        URI readiness = baseUrl().resolve("/q/health/ready");
        try {
            Awaitility.await(service + " ready")
                    .atMost(timeout)
                    .pollInterval(READINESS_POLL)
                    .pollInSameThread()
                    .until(() -> {
                        if (!isRunning()) {
                            throw new HarnessException(service + " exited while starting\n" + tail(stdout));
                        }
                        return answers200(readiness);
                    });
        } catch (ConditionTimeoutException e) {
            throw new HarnessException(service + " was not ready within " + timeout.toSeconds() + " s\n" + tail(stdout), e);
        }
    }

    private boolean answers200(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, then waits for the graceful shutdown; a JVM that outlives {@code grace} is killed and reported. */
    void stop(Duration grace) {
        Process running = current();
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new HarnessException(service + " did not stop within " + grace.toSeconds()
                        + " s of SIGTERM and was killed");
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook, no drain; returns once the process is gone. */
    void kill() {
        Process running = current();
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroyForcibly();
        try {
            if (!running.waitFor(30, TimeUnit.SECONDS)) {
                throw new HarnessException(service + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Process current() {
        return process;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERRORS), lines.size());
            return "Last lines of " + log + ":\n  | " + String.join("\n  | ", last);
        } catch (IOException e) {
            return "(" + log + " cannot be read: " + e.getMessage() + ")";
        }
    }
}
