package dev.lunas.launcher.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.http.Json;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One service as a child JVM running its packaged {@code quarkus-run.jar} in a given profile, on a port it keeps
 * across restarts (as a pod keeps its address behind a Kubernetes service). Its output goes straight into log files,
 * complete even if the JVM that started it dies; a loaded {@code ParentWatch} agent makes it exit by itself then.
 * The JVM works in its log folder, so nothing it writes lands in the repository.
 */
public final class ServiceProcess {

    /** Where a service's output goes. */
    public enum LogFiles {
        /** {@code <name>.log}, standard output and error together; the previous start's is kept as {@code <name>.log.1}. */
        ONE_FILE,
        /**
         * {@code <name>-<n>.log} (standard output: the service's log) and {@code <name>-<n>.stderr.log} (what the JVM
         * prints itself) for the n-th start, so no start's log is ever overwritten.
         */
        ONE_PER_START
    }

    /**
     * How the service JVMs of a system run.
     *
     * @param profile            the Quarkus profile ({@code dev} for {@code ./lunas run}, {@code prod} for the tests)
     * @param inheritEnvironment whether the JVM sees this JVM's environment; without it only {@code PATH}, {@code HOME},
     *                           {@code TMPDIR} and {@code LANG} are passed on, so nothing of a developer's own
     *                           settings leaks into a test
     * @param jvmOptions         options before {@code -jar}
     * @param agentJar           the parent-watch agent
     * @param readinessPoll      how often readiness is asked while starting: the resolution of a measured start time
     */
    public record Options(String profile, boolean inheritEnvironment, List<String> jvmOptions, Optional<Path> agentJar,
                          LogFiles logFiles, Duration readinessPoll) {

        public Options {
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    /** What a JVM without the inherited environment still gets of it. */
    private static final Set<String> ALWAYS_INHERITED = Set.of("PATH", "HOME", "TMPDIR", "LANG");
    private static final String LOOPBACK = "127.0.0.1";
    private static final int LOG_LINES_READ = 2000;
    private static final int REPORTED_LINES = 25;
    private static final Http READINESS = new Http(Duration.ofSeconds(2));

    private final String name;
    private final int port;
    private final Path runJar;
    private final Path logDirectory;
    private final Options options;
    private final List<Path> logFiles = new ArrayList<>();
    private Process process;
    private Path logFile;
    private LogFollower follower;
    private int starts;
    private volatile boolean stopping;
    private volatile boolean ready;

    /**
     * @param name its log files' name: the service's module, or with a replica number after it
     */
    public ServiceProcess(String name, int port, Path runJar, Path logDirectory, Options options) {
        this.name = name;
        this.port = port;
        this.runJar = runJar;
        this.logDirectory = logDirectory;
        this.options = options;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** Where it answers HTTP. */
    public URI baseUrl() {
        return URI.create("http://" + LOOPBACK + ":" + port);
    }

    /** The log of the current (or latest) start: standard output, which carries the service's log. */
    public synchronized Path logFile() {
        return logFile;
    }

    /** Every log file this service has written since it was created, oldest start first. */
    public synchronized List<Path> logFiles() {
        return List.copyOf(logFiles);
    }

    /**
     * Starts the JVM with these variables on top of the environment it gets (see {@link Options#inheritEnvironment})
     * and its port. Its database sessions carry its name as {@code application_name}, so {@code pg_stat_activity}
     * and the server log tell the services apart.
     *
     * @param logLines         each line the service logs, as it is written; {@code null} leaves the log to its file
     * @param onUnexpectedExit told the exit code if the process ends after it was ready without a stop having
     *                         been asked for (a failed start is reported by {@link #awaitReady} instead)
     * @throws LaunchException when it is running already or cannot be started
     */
    public synchronized void start(Map<String, String> environment, Consumer<String> logLines, IntConsumer onUnexpectedExit) {
        if (isRunning()) {
            throw new LaunchException(name + " is already running");
        }
        starts++;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        options.agentJar().ifPresent(jar -> command.add("-javaagent:" + jar + "=" + ProcessHandle.current().pid()));
        command.addAll(options.jvmOptions());
        command.add("-Dquarkus.datasource.reactive.additional-properties.application_name=" + name);
        command.add("-Dquarkus.profile=" + options.profile());
        command.add("-jar");
        command.add(runJar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(logDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        if (!options.inheritEnvironment()) {
            builder.environment().keySet().retainAll(ALWAYS_INHERITED);
        }
        builder.environment().putAll(environment);
        builder.environment().put(ServiceVariable.QUARKUS_HTTP_PORT.name(), String.valueOf(port));
        try {
            Files.createDirectories(logDirectory);
            redirectOutput(builder);
            stopping = false;
            ready = false;
            process = builder.start();
        } catch (IOException e) {
            throw new LaunchException("Cannot start " + name + " (" + runJar + "): " + e.getMessage(), e);
        }
        follower = logLines == null ? null : new LogFollower(name, logFile, logLines);
        process.onExit().thenAccept(exited -> {
            if (ready && !stopping) {
                onUnexpectedExit.accept(exited.exitValue());
            }
        });
    }

    private void redirectOutput(ProcessBuilder builder) throws IOException {
        if (options.logFiles() == LogFiles.ONE_FILE) {
            logFile = logDirectory.resolve(name + ".log");
            if (Files.exists(logFile)) {
                Files.move(logFile, logFile.resolveSibling(name + ".log.1"), StandardCopyOption.REPLACE_EXISTING);
            }
            builder.redirectErrorStream(true).redirectOutput(logFile.toFile());
            if (!logFiles.contains(logFile)) {
                logFiles.add(logFile);
            }
        } else {
            logFile = logDirectory.resolve(name + "-" + starts + ".log");
            Path errors = logDirectory.resolve(name + "-" + starts + ".stderr.log");
            builder.redirectOutput(logFile.toFile()).redirectError(errors.toFile());
            logFiles.add(logFile);
            logFiles.add(errors);
        }
    }

    /**
     * Waits until {@code /q/health/ready} answers 200.
     *
     * @param cancelled polled while waiting: a stop was asked for, waiting is pointless
     * @return true once ready, false when cancelled first
     * @throws LaunchException when the process exits first or is not ready in time; the message includes the
     *                         end of its log, which usually names the cause
     */
    public boolean awaitReady(Duration timeout, BooleanSupplier cancelled) throws InterruptedException {
        URI readiness = baseUrl().resolve("/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastSeen = "nothing listens on port " + port + " yet";
        while (!cancelled.getAsBoolean()) {
            Process current = current();
            if (!current.isAlive()) {
                throw failure(name + " exited with code " + current.exitValue() + " while starting.");
            }
            try {
                HttpResponse<String> answer = READINESS.get(readiness);
                if (answer.statusCode() == 200) {
                    ready = true;
                    return true;
                }
                lastSeen = "readiness answered " + answer.statusCode() + downChecks(answer.body());
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw failure(name + " was not ready after " + timeout.toSeconds() + " s (" + lastSeen
                        + "). Set LUNAS_START_TIMEOUT_SECONDS if this machine is just slow.");
            }
            Thread.sleep(options.readinessPoll().toMillis());
        }
        return false;
    }

    private LaunchException failure(String what) {
        Path log = logFile();
        StringBuilder message = new StringBuilder(what).append("\nFrom the end of ").append(log)
                .append(" (stack frames left out):\n");
        for (String line : LogSummary.failureReport(LogFollower.tail(log, LOG_LINES_READ), REPORTED_LINES)) {
            message.append("  | ").append(line).append('\n');
        }
        return new LaunchException(message.toString().stripTrailing());
    }

    /** Which readiness checks are DOWN, from SmallRye Health's answer. */
    private static String downChecks(String body) {
        try {
            JsonNode health = Json.MAPPER.readTree(body);
            List<String> down = new ArrayList<>();
            health.path("checks").forEach(check -> {
                if (!"UP".equals(check.path("status").asText())) {
                    down.add(check.path("name").asText());
                }
            });
            return down.isEmpty() ? "" : ", down: " + String.join(", ", down);
        } catch (IOException e) {
            return "";
        }
    }

    private synchronized Process current() {
        return process;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The operating-system process id while the JVM runs. */
    public synchronized OptionalLong pid() {
        return isRunning() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /** Asks for a graceful shutdown (SIGTERM); does not wait. */
    public void requestStop() {
        stopping = true;
        Process current = current();
        if (current != null) {
            current.destroy();
        }
    }

    /**
     * Waits for the process to end, killing it when it takes longer than {@code grace}.
     *
     * @return false when it had to be killed
     */
    public boolean awaitStop(Duration grace) {
        Process current = current();
        if (current == null) {
            return true;
        }
        try {
            if (current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return false;
        } catch (InterruptedException e) {
            current.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (follower != null) {
                follower.close();
            }
        }
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook, no drain, requests in flight are cut off. Does not wait. */
    public void kill() {
        stopping = true;
        Process current = current();
        if (current != null) {
            current.destroyForcibly();
        }
    }

    /** Waits until the process has ended; false when it still runs after {@code timeout}. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        Process current = current();
        return current == null || current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exit code of the latest start, once that process has ended. */
    public synchronized OptionalInt exitCode() {
        return process == null || process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
