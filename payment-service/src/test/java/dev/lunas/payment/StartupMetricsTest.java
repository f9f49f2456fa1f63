package dev.lunas.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.metrics.ExportedMetrics;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.payment.service.PaymentAlert;
import dev.lunas.payment.testing.Api;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.MidtransWireMock;
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
 * Every meter of this service is exported from start-up, before the first webhook or reconciliation run, so an
 * alert rule sees 0 rather than no series: the names this service exports with each of their known tag values,
 * and every name deploy/prometheus/metrics.txt lists for it. SmallRye Fault Tolerance's own meters
 * ({@code ft_*}) appear at the guarded call's first use, so they are checked after the first payment request.
 */
@QuarkusTest
@TestProfile(StartupMetricsTest.JustStarted.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartupMetricsTest {

    /** A profile of its own, so this class scrapes an application that has just started. */
    public static class JustStarted implements QuarkusTestProfile {
    }

    private static final String SERVICE = "payment-service";

    /** What this service exports (docs/architecture.md, "Metrics names", and the README's "Metrics"). */
    static final List<String> EXPORTED = List.of("payment_attempt_total", "payment_paid_total", "payment_failed_total",
            "payment_expired_total", "payment_late_settlement_total", "payment_adjustment_total",
            "payment_amount_mismatch_total", "payment_alerts_total", "webhook_received_total",
            "webhook_invalid_signature_total", "webhook_processing_error_total", "webhook_latency_seconds",
            "metrics_refreshed_timestamp_seconds", "database_up", "scheduler_alive", "job_execution_time_seconds",
            "job_timeout_total");

    @InjectMidtrans
    WireMockServer midtrans;

    @Test
    @Order(1)
    void everyMeterOfThisServiceIsExportedFromStartUp() {
        String metrics = scrape();

        assertThat(ExportedMetrics.missing(EXPORTED, metrics, SERVICE)).as("not exported at start-up").isEmpty();
        assertThat(metrics).containsPattern("(?m)^webhook_latency_seconds_bucket\\{");
        for (PaymentAlert alert : PaymentAlert.values()) {
            assertThat(metrics).containsPattern("(?m)^payment_alerts_total\\{[^}]*code=\"" + alert.code() + "\"");
        }
        for (String kind : List.of("refund", "chargeback", "reverse")) {
            assertThat(metrics).containsPattern("(?m)^payment_adjustment_total\\{[^}]*kind=\"" + kind + "\"");
        }
        assertThat(metrics).containsPattern("(?m)^job_timeout_total\\{[^}]*job_name=\"payment-reconciliation\"")
                .containsPattern("(?m)^job_execution_time_seconds_count\\{[^}]*job_name=\"payment-reconciliation\"");
        Set<String> listed = ExportedMetrics.listed(SERVICE);
        assertThat(ExportedMetrics.missing(listed.stream().filter(name -> !ExportedMetrics.faultTolerance(name)).toList(),
                metrics, SERVICE)).as("listed in %s for %s but not exported at start-up", ExportedMetrics.LIST, SERVICE)
                .isEmpty();
    }

    @Test
    @Order(2)
    void everyNameTheAlertRulesUseIsExportedOnceTheGuardedCallIsUsed() {
        Api.pendingPayment(midtrans);

        assertThat(ExportedMetrics.missing(ExportedMetrics.listed(SERVICE), scrape(), SERVICE))
                .as("listed in %s for %s but not exported", ExportedMetrics.LIST, SERVICE).isEmpty();
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
