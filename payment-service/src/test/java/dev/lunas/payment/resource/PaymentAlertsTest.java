package dev.lunas.payment.resource;

import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.alerts;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.events;
import static dev.lunas.payment.testing.Api.pendingPayment;
import static dev.lunas.payment.testing.Api.status;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.payment.testing.Db;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.Midtrans;
import dev.lunas.payment.testing.Midtrans.Note;
import dev.lunas.payment.testing.MidtransWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 7: payment conditions that need a person raise one OpsAlert outbox event per fact, in the
 * transaction that records the fact, and count in payment_alerts_total{code}.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class PaymentAlertsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectMidtrans
    WireMockServer midtrans;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        Db.reset();
        midtrans.resetAll();
        breakers.resetAll();
    }

    @Test
    void defect7_everyAlertCodeIsExportedBeforeTheFirstAlert() {
        String metrics = scrape();
        for (String code : new String[] {"capture_challenged", "amount_mismatch", "late_settlement_not_confirmed",
                "double_settlement"}) {
            assertThat(metrics).containsPattern("(?m)^payment_alerts_total\\{[^}]*code=\"" + code + "\"");
        }
    }

    @Test
    void defect7_aCaptureHeldAsChallengeRaisesOneAlert() throws Exception {
        UUID orderId = pendingPayment(midtrans);
        double before = alertCount("capture_challenged");
        String challenge = Note.of(orderId).status("capture", "201").amount("99000.00").fraud("challenge")
                .set("payment_type", "credit_card").json();

        deliver(challenge).then().statusCode(200).body("outcome", equalTo("IGNORED"));
        deliver(challenge).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));

        assertThat(status(orderId)).isEqualTo("PENDING");
        assertThat(alerts(orderId)).hasSize(1);
        JsonNode alert = JSON.readTree(alerts(orderId).get(0));
        assertThat(alert.get("code").asText()).isEqualTo("CAPTURE_CHALLENGED");
        assertThat(alert.get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(alertCount("capture_challenged")).isEqualTo(before + 1);
    }

    @Test
    void defect7_anAmountMismatchKeepsThe422AndRecordsItsAlertOnce() {
        UUID orderId = pendingPayment(midtrans);
        double before = alertCount("amount_mismatch");
        String mismatch = Note.settlement(orderId, AMOUNT).amount("1000.00").json();

        for (int i = 0; i < 3; i++) {
            deliver(mismatch).then().statusCode(422).contentType("application/problem+json")
                    .body("type", equalTo("https://lunas.dev/problems/amount-mismatch"));
        }

        assertThat(status(orderId)).isEqualTo("PENDING");
        assertThat(events(orderId)).containsExactly("OpsAlert");
        assertThat(Db.row("select outcome, gross_amount from payments.payment_event where order_id = ?", orderId.toString()))
                .containsEntry("outcome", "AMOUNT_MISMATCH").containsEntry("gross_amount", "1000.00");
        assertThat(alertCount("amount_mismatch")).isEqualTo(before + 1);
        // the right amount still settles: the mismatch did not take the fact's key
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("APPLIED"));
    }

    @Test
    void defect7_aLateSettlementGetStatusWillNotConfirmRaisesOneAlert() {
        UUID orderId = pendingPayment(midtrans);
        Db.update("update payments.payment_attempt set status = 'EXPIRED', closed_at = now(), next_check_at = null"
                + " where order_id = ?", orderId);
        Midtrans.stubStatus(midtrans, orderId, Note.of(orderId).status("expire", "407").amount("99000.00"));
        double before = alertCount("late_settlement_not_confirmed");
        String settlement = Note.settlement(orderId, AMOUNT).json();

        deliver(settlement).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(alerts(orderId)).hasSize(1));
        deliver(settlement).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));
        assertThat(alerts(orderId)).hasSize(1);
        assertThat(alerts(orderId).get(0)).contains("LATE_SETTLEMENT_NOT_CONFIRMED");
        assertThat(status(orderId)).isEqualTo("EXPIRED");
        assertThat(alertCount("late_settlement_not_confirmed")).isEqualTo(before + 1);
    }

    @Test
    void defect7_aSecondSettlementByAnotherTransactionRaisesOneAlert() {
        UUID orderId = pendingPayment(midtrans);
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200);
        double before = alertCount("double_settlement");
        String second = Note.settlement(orderId, AMOUNT).set("transaction_id", "another-transaction").json();

        deliver(second).then().statusCode(200).body("outcome", equalTo("IGNORED"));
        deliver(second).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));

        assertThat(events(orderId)).containsExactly("PaymentSettled", "OpsAlert");
        assertThat(alerts(orderId).get(0)).contains("DOUBLE_SETTLEMENT").contains("another-transaction");
        assertThat(alertCount("double_settlement")).isEqualTo(before + 1);
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double alertCount(String code) {
        Matcher line = Pattern.compile("(?m)^payment_alerts_total\\{[^}]*code=\"" + code + "\"[^}]*} ([0-9.eE+-]+)$").matcher(scrape());
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
