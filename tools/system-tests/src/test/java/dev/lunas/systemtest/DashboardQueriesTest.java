package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Grafana dashboard (deploy/grafana/dashboards/lunas.json) is read by a real Prometheus scraping the three
 * running services after a few paid checkouts: every panel's every query must return data. A query naming a metric
 * that does not exist, or a label it does not carry, fails here rather than leaving an operator an empty panel.
 */
@Order(11)
@ExtendWith(SharedSystem.class)
class DashboardQueriesTest {

    @Test
    void everyPanelQueryReturnsDataOnARunningSystem(SystemUnderTest system) throws Exception {
        Map<String, String> queries = panelQueries(system.repository().resolve("deploy/grafana/dashboards/lunas.json"));
        assertThat(queries).as("panel queries").hasSizeGreaterThanOrEqualTo(12);

        try (Monitoring monitoring = Monitoring.in(system, "dashboard")) {
            monitoring.startPrometheus(system, Optional.empty(), Optional.empty());
            CheckoutLedger ledger = new CheckoutLedger(system);
            for (int i = 0; i < 3; i++) {
                CheckoutLedger.Entry checkout = ledger.checkout("ai-movie-course");
                assertThat(checkout.status()).as("checkout %s", checkout.answer()).isEqualTo(201);
                assertThat(system.storefront().pressOnPaymentPage(checkout.paymentUrl().orElseThrow(), "pay").status())
                        .isEqualTo(303);
            }

            Map<String, String> empty = new LinkedHashMap<>(queries);
            Eventually.within(Duration.ofSeconds(120), "every panel query to return data").until(() -> {
                empty.entrySet().removeIf(query -> {
                    JsonNode result = monitoring.query(query.getValue());
                    return result != null && !result.isEmpty();
                });
                return empty;
            }, Map::isEmpty);
        }
    }

    /** "panel title / legend" → the PromQL of every target of every panel. */
    private static Map<String, String> panelQueries(Path dashboard) throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : new ObjectMapper().readTree(dashboard.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asText() + " / " + target.path("legendFormat").asText(),
                        target.path("expr").asText());
            }
        }
        return queries;
    }
}
