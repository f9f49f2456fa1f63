package dev.lunas.payment.resource;

import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.pendingPayment;
import static dev.lunas.payment.testing.Api.reconcile;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.payment.job.ReconciliationJob;
import dev.lunas.payment.testing.Db;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.Midtrans;
import dev.lunas.payment.testing.Midtrans.Note;
import dev.lunas.payment.testing.MidtransWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The playbook's metric names, scraped from /q/metrics as Prometheus sees them. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class MetricsTest {

    @InjectMidtrans
    WireMockServer midtrans;

    @Inject
    ReconciliationJob job;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        Db.reset();
        midtrans.resetAll();
        breakers.resetAll();
    }

    @Test
    void thePlaybookMetricsAreExportedWithTheServiceTag() throws Throwable {
        double paidBefore = value(scrape(), "payment_paid_total");
        double invalidBefore = value(scrape(), "webhook_invalid_signature_total");
        UUID paid = pendingPayment(midtrans);
        deliver(Note.settlement(paid, AMOUNT).json()).then().statusCode(200);
        deliver(Note.settlement(paid, AMOUNT).withSignature("0".repeat(128)).json()).then().statusCode(401);
        // one Get Status call, so its breaker's meters exist whichever tests ran before (repeats the settlement)
        Midtrans.stubStatus(midtrans, paid, Note.settlement(paid, AMOUNT));
        reconcile(paid).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));
        UUID mismatched = pendingPayment(midtrans);
        deliver(Note.settlement(mismatched, AMOUNT).amount("1.00").json()).then().statusCode(422);
        double runStarted = System.currentTimeMillis() / 1000.0;
        VertxContextSupport.subscribeAndAwait(() -> job.run());

        String metrics = scrape();

        for (String name : List.of("payment_attempt_total", "payment_paid_total", "payment_failed_total",
                "payment_expired_total", "webhook_received_total", "webhook_invalid_signature_total",
                "webhook_processing_error_total", "payment_amount_mismatch_total", "payment_alerts_total", "webhook_latency_seconds_bucket",
                "webhook_latency_seconds_count", "scheduler_alive", "payment_late_settlement_total", "payment_adjustment_total",
                "job_timeout_total", "metrics_refreshed_timestamp_seconds", "database_up")) {
            assertThat(metrics).as(name).containsPattern("(?m)^" + name + "\\{[^}]*service=\"payment-service\"");
        }
        assertThat(metrics).containsPattern("(?m)^job_execution_time_seconds_count\\{[^}]*job_name=\"payment-reconciliation\"");
        // SmallRye Fault Tolerance's own breaker metrics for both Midtrans calls
        assertThat(metrics).containsPattern("(?m)^ft_circuitbreaker_state_current\\{[^}]*SnapClient\\.create[^}]*state=\"closed\"");
        assertThat(metrics).containsPattern("(?m)^ft_circuitbreaker_state_current\\{[^}]*StatusClient\\.status");
        assertThat(metrics).doesNotContainPattern("(?m)^[a-z_]+\\{[^}]*\\b(job|instance)=\"");
        assertThat(value(metrics, "payment_paid_total")).isEqualTo(paidBefore + 1);
        assertThat(value(metrics, "webhook_invalid_signature_total")).isEqualTo(invalidBefore + 1);
        assertThat(value(metrics, "payment_amount_mismatch_total")).isGreaterThanOrEqualTo(1);
        // the reconciliation run is this service's regular round trip to its database
        assertThat(value(metrics, "metrics_refreshed_timestamp_seconds")).isGreaterThanOrEqualTo(runStarted);
        assertThat(value(metrics, "database_up")).isEqualTo(1);
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String name) {
        Matcher line = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.eE+-]+)$").matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
