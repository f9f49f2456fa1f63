package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.launcher.http.PortProbe;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus, and if asked a real Alertmanager, from the distribution's packages (CI installs them), pointed
 * at the running system: what the monitoring tests read the dashboard and the alert rules through. Scrapes every
 * second, as job {@code lunas} like every deployment's scrape configuration.
 */
final class Monitoring implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<Process> processes = new ArrayList<>();
    private final Path folder;
    private URI prometheus;

    private Monitoring(Path folder) {
        this.folder = folder;
    }

    static Monitoring in(SystemUnderTest system, String name) throws IOException {
        return new Monitoring(Files.createDirectories(system.runDirectory().resolve(name)));
    }

    /** Starts Alertmanager with this configuration; answers its address for Prometheus. */
    String startAlertmanager(String configuration) throws IOException {
        Files.writeString(folder.resolve("alertmanager.yml"), configuration);
        int port = PortProbe.freeListenPort();
        start("alertmanager", binary("prometheus-alertmanager", "alertmanager"),
                "--config.file=" + folder.resolve("alertmanager.yml"),
                "--storage.path=" + folder.resolve("alertmanager-data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=");
        URI api = URI.create("http://127.0.0.1:" + port);
        Eventually.soon("Alertmanager to be ready").until(() -> ready(api.resolve("/-/ready")), ready -> ready);
        return "127.0.0.1:" + port;
    }

    /** Starts Prometheus scraping the system's three services, with these rules and this Alertmanager, if any. */
    URI startPrometheus(SystemUnderTest system, Optional<Path> rules, Optional<String> alertmanager) throws IOException {
        String targets = Stream.of(Service.values())
                .map(service -> "'" + system.baseUrl(service).getHost() + ":" + system.baseUrl(service).getPort() + "'")
                .collect(Collectors.joining(", "));
        StringBuilder configuration = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: lunas
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: [%s]
                """.formatted(targets));
        rules.ifPresent(file -> configuration.append("rule_files: ['").append(file).append("']\n"));
        alertmanager.ifPresent(address -> configuration.append("""
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ['%s']
                """.formatted(address)));
        Files.writeString(folder.resolve("prometheus.yml"), configuration);
        int port = PortProbe.freeListenPort();
        start("prometheus", binary("prometheus"),
                "--config.file=" + folder.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + folder.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--rules.alert.resend-delay=1s");
        prometheus = URI.create("http://127.0.0.1:" + port);
        Eventually.soon("Prometheus to scrape all three services")
                .until(() -> query("count(up{job=\"lunas\"} == 1)"), result -> result != null && !result.isEmpty()
                        && result.get(0).path("value").get(1).asText().equals("3"));
        return prometheus;
    }

    /** The result vector of an instant query, or null while Prometheus is not answering; a bad query fails. */
    JsonNode query(String promql) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(prometheus.resolve("/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("status").asText()).as("Prometheus on %s: %s", promql, answer.body()).isEqualTo("success");
            return body.path("data").path("result");
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            process.waitFor();
        }
    }

    private void start(String name, Path binary, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(arguments));
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve(name + ".log").toFile()).start());
    }

    private static boolean ready(URI url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path binary(String... names) {
        List<String> folders = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        folders.add("/usr/bin");
        for (String name : names) {
            for (String folder : folders) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError(names[0] + " is not installed: apt-get install prometheus prometheus-alertmanager"
                + " (.ci/run installs them)");
    }
}
