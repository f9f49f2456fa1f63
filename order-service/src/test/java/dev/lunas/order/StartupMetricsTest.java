package dev.lunas.order;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.metrics.ExportedMetrics;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every meter of this service is exported from start-up, before the first checkout or job run, so an alert rule
 * sees 0 rather than no series: the names this service exports, and every name deploy/prometheus/metrics.txt lists
 * for it. SmallRye Fault Tolerance's own meters ({@code ft_*}) appear at the guarded call's first use, so they are
 * checked after the first checkout.
 */
@QuarkusTest
@TestProfile(StartupMetricsTest.JustStarted.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartupMetricsTest {

    /** A profile of its own, so this class scrapes an application that has just started. */
    public static class JustStarted implements QuarkusTestProfile {
    }

    private static final String SERVICE = "order-service";

    /** What this service exports (docs/architecture.md, "Metrics names", and the README's "Metrics"). */
    static final List<String> EXPORTED = List.of("checkout_created_total", "orders_paid_total", "orders_expired_total",
            "orders_pending", "orders_pending_aging", "metrics_refreshed_timestamp_seconds", "database_up",
            "scheduler_alive", "job_execution_time_seconds", "job_timeout_total");

    private static final List<String> JOBS = List.of("order-expiry", "payment-reminder", "idempotency-key-reaper",
            "order-gauges");

    @InjectPaymentService
    WireMockServer paymentService;

    @Test
    @Order(1)
    void everyMeterOfThisServiceIsExportedFromStartUp() {
        String metrics = scrape();

        assertThat(ExportedMetrics.missing(EXPORTED, metrics, SERVICE)).as("not exported at start-up").isEmpty();
        for (String job : JOBS) {
            assertThat(metrics).as(job).containsPattern("(?m)^job_timeout_total\\{[^}]*job_name=\"" + job + "\"")
                    .containsPattern("(?m)^job_execution_time_seconds_count\\{[^}]*job_name=\"" + job + "\"");
        }
        Set<String> listed = ExportedMetrics.listed(SERVICE);
        assertThat(ExportedMetrics.missing(listed.stream().filter(name -> !ExportedMetrics.faultTolerance(name)).toList(),
                metrics, SERVICE)).as("listed in %s for %s but not exported at start-up", ExportedMetrics.LIST, SERVICE)
                .isEmpty();
    }

    @Test
    @Order(2)
    void everyNameTheAlertRulesUseIsExportedOnceTheGuardedCallIsUsed() {
        PaymentServiceStub.issueTokens(paymentService);
        Checkouts.create(Checkouts.SEED_PACKAGE);

        assertThat(ExportedMetrics.missing(ExportedMetrics.listed(SERVICE), scrape(), SERVICE))
                .as("listed in %s for %s but not exported", ExportedMetrics.LIST, SERVICE).isEmpty();
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
