package dev.lunas.launcher.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One service as a child JVM running its packaged {@code quarkus-run.jar} in the dev profile. Its output goes
 * straight into its log file, which is followed for the console; a loaded {@code ParentWatch} agent makes
 * it exit by itself should the launcher die without stopping it.
 */
final class ServiceProcess {

    /** A service the launcher runs: its name is also its Maven module's folder. */
    record Definition(String name, int port) {
    }

    /** The services in start order: order-service answers the others, notification-service relays for both. */
    static final List<String> NAMES = List.of("order-service", "payment-service", "notification-service");

    static final Duration DEFAULT_READINESS_POLL = Duration.ofMillis(300);
    private static final int LOG_LINES_READ = 2000;
    private static final int REPORTED_LINES = 25;

    private final Definition definition;
    private final Path runJar;
    private final Path logFile;
    private final Duration readinessPoll;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Process process;
    private LogFollower follower;
    private volatile boolean stopping;
    private volatile boolean ready;

    ServiceProcess(Definition definition, Path runJar, Path logFile) {
        this(definition, runJar, logFile, DEFAULT_READINESS_POLL);
    }

    /** @param readinessPoll how often readiness is asked while starting: the resolution of a measured start time */
    ServiceProcess(Definition definition, Path runJar, Path logFile, Duration readinessPoll) {
        this.definition = definition;
        this.runJar = runJar;
        this.logFile = logFile;
        this.readinessPoll = readinessPoll;
    }

    static List<Definition> definitions(Ports ports) {
        return NAMES.stream().map(name -> new Definition(name, ports.service(name))).toList();
    }

    String name() {
        return definition.name();
    }

    Path logFile() {
        return logFile;
    }

    /**
     * Starts the JVM; the previous run's log is kept beside the new one as {@code <name>.log.1}. Its database
     * sessions carry the service's name as {@code application_name}, so {@code pg_stat_activity} and the server
     * log tell the services apart.
     *
     * @param logLines         each line the service logs, as it is written; {@code null} leaves the log to its file
     * @param onUnexpectedExit told the exit code if the process ends after it was ready without a stop having
     *                         been asked for (a failed start is reported by {@link #awaitReady} instead)
     */
    void start(Map<String, String> environment, List<String> jvmOptions, Optional<Path> agentJar,
               Consumer<String> logLines, Consumer<Integer> onUnexpectedExit) throws IOException {
        Files.createDirectories(logFile.getParent());
        if (Files.exists(logFile)) {
            Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        agentJar.ifPresent(jar -> command.add("-javaagent:" + jar + "=" + ProcessHandle.current().pid()));
        command.addAll(jvmOptions);
        command.add("-Dquarkus.datasource.reactive.additional-properties.application_name=" + definition.name());
        command.add("-Dquarkus.profile=dev");
        command.add("-jar");
        command.add(runJar.toString());

        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(definition.port()));
        stopping = false;
        ready = false;
        process = builder.start();
        follower = logLines == null ? null : new LogFollower(definition.name(), logFile, logLines);
        process.onExit().thenAccept(exited -> {
            if (ready && !stopping) {
                onUnexpectedExit.accept(exited.exitValue());
            }
        });
    }

    /**
     * Waits until {@code /q/health/ready} answers 200.
     *
     * @param cancelled polled while waiting: a stop was asked for, waiting is pointless
     * @return true once ready, false when cancelled first
     * @throws LaunchException when the process exits first or is not ready in time; the message includes the
     *                         end of its log, which usually names the cause
     */
    boolean awaitReady(Duration timeout, BooleanSupplier cancelled) throws InterruptedException {
        URI readiness = URI.create("http://localhost:" + definition.port() + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastSeen = "nothing listens on port " + definition.port() + " yet";
        while (!cancelled.getAsBoolean()) {
            if (!process.isAlive()) {
                throw failure(definition.name() + " exited with code " + process.exitValue() + " while starting.");
            }
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    ready = true;
                    return true;
                }
                lastSeen = "readiness answered " + answer.statusCode() + downChecks(answer.body());
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw failure(definition.name() + " was not ready after " + timeout.toSeconds() + " s (" + lastSeen
                        + "). Set LUNAS_START_TIMEOUT_SECONDS if this machine is just slow.");
            }
            Thread.sleep(readinessPoll.toMillis());
        }
        return false;
    }

    private LaunchException failure(String what) {
        StringBuilder message = new StringBuilder(what).append("\nFrom the end of ").append(logFile)
                .append(" (stack frames left out):\n");
        for (String line : LogSummary.failureReport(LogFollower.tail(logFile, LOG_LINES_READ), REPORTED_LINES)) {
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

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The operating-system process id while the JVM runs. */
    OptionalLong pid() {
        return isRunning() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /** Asks for a graceful shutdown (SIGTERM); does not wait. */
    void requestStop() {
        stopping = true;
        if (process != null) {
            process.destroy();
        }
    }

    /** Waits for the process to end, killing it when it takes longer than {@code grace}. */
    void awaitStop(Duration grace) {
        if (process == null) {
            return;
        }
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            if (follower != null) {
                follower.close();
            }
        }
    }

    /** Kills the process at once (a second Ctrl-C). */
    void kill() {
        stopping = true;
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
