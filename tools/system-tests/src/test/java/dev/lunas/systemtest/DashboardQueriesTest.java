package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.launcher.http.PortProbe;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Grafana dashboard (deploy/grafana/dashboards/lunas.json) is read by a real Prometheus (the distribution's
 * package, as CI installs it) scraping the three running services after a few paid checkouts: every panel's every
 * query must return data. A query naming a metric that does not exist, or a label it does not carry, fails here
 * rather than leaving an operator an empty panel.
 */
@Order(11)
@ExtendWith(SharedSystem.class)
class DashboardQueriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Process prometheus;

    @AfterEach
    void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    @Test
    void everyPanelQueryReturnsDataOnARunningSystem(SystemUnderTest system) throws Exception {
        Path repository = repository();
        Map<String, String> queries = panelQueries(repository.resolve("deploy/grafana/dashboards/lunas.json"));
        assertThat(queries).as("panel queries").hasSizeGreaterThanOrEqualTo(12);

        URI api = startPrometheus(system);
        CheckoutLedger ledger = new CheckoutLedger(system);
        for (int i = 0; i < 3; i++) {
            CheckoutLedger.Entry checkout = ledger.checkout("ai-movie-course");
            assertThat(checkout.status()).as("checkout %s", checkout.answer()).isEqualTo(201);
            assertThat(system.storefront().pressOnPaymentPage(checkout.paymentUrl().orElseThrow(), "pay").status())
                    .isEqualTo(303);
        }

        Map<String, String> empty = new LinkedHashMap<>(queries);
        Eventually.within(Duration.ofSeconds(120), "every panel query to return data").until(() -> {
            empty.entrySet().removeIf(query -> hasData(api, query.getValue()));
            return empty;
        }, Map::isEmpty);
    }

    /** "panel title / legend" → the PromQL of every target of every panel. */
    private static Map<String, String> panelQueries(Path dashboard) throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : JSON.readTree(dashboard.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asText() + " / " + target.path("legendFormat").asText(),
                        target.path("expr").asText());
            }
        }
        return queries;
    }

    private URI startPrometheus(SystemUnderTest system) throws IOException {
        Path binary = prometheusBinary().orElseThrow(() -> new AssertionError(
                "prometheus is not installed: apt-get install prometheus (.ci/run installs it)"));
        Path folder = Files.createDirectories(system.runDirectory().resolve("prometheus"));
        String targets = Stream.of(Service.values())
                .map(service -> "'" + system.baseUrl(service).getHost() + ":" + system.baseUrl(service).getPort() + "'")
                .collect(Collectors.joining(", "));
        Files.writeString(folder.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: lunas
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: [%s]
                """.formatted(targets));
        int port = PortProbe.freeListenPort();
        prometheus = new ProcessBuilder(binary.toString(),
                "--config.file=" + folder.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + folder.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(folder.resolve("prometheus.log").toFile()).start();
        URI api = URI.create("http://127.0.0.1:" + port);
        Eventually.soon("Prometheus to scrape all three services").until(() -> upTargets(api), up -> up == 3);
        return api;
    }

    private static int upTargets(URI api) {
        JsonNode result = query(api, "sum(up{job=\"lunas\"})");
        return result == null || result.isEmpty() ? 0 : (int) Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private static boolean hasData(URI api, String promql) {
        JsonNode result = query(api, promql);
        return result != null && !result.isEmpty();
    }

    /** The result vector of an instant query, or null when Prometheus is not answering yet. */
    private static JsonNode query(URI api, String promql) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(api.resolve("/api/v1/query?query="
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

    private static Optional<Path> prometheusBinary() {
        List<Path> candidates = new ArrayList<>();
        for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(Path.of(folder, "prometheus"));
        }
        candidates.add(Path.of("/usr/bin/prometheus"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    private static Path repository() {
        Path folder = Path.of("").toAbsolutePath();
        while (folder != null && !Files.isRegularFile(folder.resolve("deploy/grafana/dashboards/lunas.json"))) {
            folder = folder.getParent();
        }
        assertThat(folder).as("the repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
        return folder;
    }
}
