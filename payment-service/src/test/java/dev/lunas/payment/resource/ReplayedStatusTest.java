package dev.lunas.payment.resource;

import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.events;
import static dev.lunas.payment.testing.Api.pendingPayment;
import static dev.lunas.payment.testing.Api.reconcile;
import static dev.lunas.payment.testing.Api.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 3: the signature covers order_id + status_code + gross_amount only. A status is accepted only
 * with the status_code Midtrans pairs with it, and whatever takes money or access away is applied only
 * when Get Status reports it too.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class ReplayedStatusTest {

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
    void defect3_aSignedPendingReplayedAsAnotherStatusIs400InconsistentStatusAndWritesNothing() {
        UUID orderId = pendingPayment(midtrans);
        String pending = Note.of(orderId).status("pending", "201").amount("99000.00").fraud("accept").json();
        deliver(pending).then().statusCode(200);
        long before = Db.writtenRows();

        for (String replayed : new String[] {"expire", "deny", "cancel", "failure", "refund", "settlement", "capture"}) {
            deliver(pending.replace("\"transaction_status\":\"pending\"", "\"transaction_status\":\"" + replayed + "\""))
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://lunas.dev/problems/inconsistent-status"));
        }

        assertThat(Db.writtenRows()).isEqualTo(before);
        assertThat(status(orderId)).isEqualTo("PENDING");
        assertThat(midtrans.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/v2/" + orderId + "/status")))).isEmpty();
    }

    @Test
    void defect3_aSignedSettlementReplayedAsARefundIsNotAppliedWhenGetStatusSaysSettled() {
        UUID orderId = pendingPayment(midtrans);
        Note settlement = Note.settlement(orderId, AMOUNT);
        deliver(settlement.json()).then().statusCode(200).body("outcome", equalTo("APPLIED"));
        Midtrans.stubStatus(midtrans, orderId, Note.settlement(orderId, AMOUNT));

        // refund pairs with 200 like settlement does: the code check cannot tell, Get Status can
        String replayed = settlement.json().replace("\"transaction_status\":\"settlement\"", "\"transaction_status\":\"refund\"")
                .replace("\"currency\"", "\"refund_amount\":\"99000.00\",\"currency\"");
        deliver(replayed).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Db.single(
                "select outcome from payments.payment_event where order_id = ? and transaction_status = 'refund'",
                orderId.toString())).isEqualTo("NOT_CONFIRMED"));
        assertThat(events(orderId)).containsExactly("PaymentSettled");
        assertThat(status(orderId)).isEqualTo("SETTLED");
        deliver(replayed).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));
        assertThat(events(orderId)).containsExactly("PaymentSettled");
    }

    @Test
    void defect3_aDenyOfAPendingPaymentWaitsForGetStatusAndIsAppliedOnlyWhenItReportsTheDeny() {
        UUID orderId = pendingPayment(midtrans);
        Midtrans.stubStatus(midtrans, orderId, Note.of(orderId).status("pending", "201").amount("99000.00"));
        Note deny = Note.of(orderId).status("deny", "202").amount("99000.00");

        deliver(deny.json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Db.single(
                "select outcome from payments.payment_event where order_id = ? and transaction_status = 'deny'",
                orderId.toString())).isEqualTo("NOT_CONFIRMED"));
        assertThat(status(orderId)).isEqualTo("PENDING");
        assertThat(events(orderId)).isEmpty();

        // later Midtrans does report the deny: the reconciler applies it, once
        Midtrans.stubStatus(midtrans, orderId, Note.of(orderId).status("deny", "202").amount("99000.00"));
        reconcile(orderId).then().statusCode(200).body("status", equalTo("FAILED"));
        reconcile(orderId).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));

        assertThat(status(orderId)).isEqualTo("FAILED");
        assertThat(events(orderId)).containsExactly("PaymentFailed");
        assertThat(Db.single("select outcome from payments.payment_event where order_id = ? and transaction_status = 'deny'",
                orderId.toString())).isEqualTo("CONFIRMED");
    }

    @Test
    void defect3_anExpiryClaimIsAppliedFromGetStatusWithItsOwnStatusCode407() {
        UUID orderId = pendingPayment(midtrans);
        Midtrans.stubStatus(midtrans, orderId, Note.of(orderId).status("expire", "407").amount("99000.00"));

        deliver(Note.of(orderId).status("expire", "202").amount("99000.00").json())
                .then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo("EXPIRED"));
        assertThat(events(orderId)).containsExactly("PaymentExpired");
        assertThat(Db.single("select outcome from payments.payment_event where order_id = ? and source = 'WEBHOOK'",
                orderId.toString())).isEqualTo("CONFIRMED");
    }

    @Test
    void defect3_aDenyClaimStillWaitingWhenTheSettlementArrivesIsCheckedAndNotLeftBehind() {
        UUID orderId = pendingPayment(midtrans);
        midtrans.stubFor(Midtrans.statusOf(orderId).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(503)));
        deliver(Note.of(orderId).status("deny", "202").amount("99000.00").json())
                .then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));
        await().atMost(Duration.ofSeconds(15)).until(() -> midtrans.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/v2/" + orderId + "/status"))).size() >= 1);
        breakers.resetAll();
        Midtrans.stubStatus(midtrans, orderId, Note.settlement(orderId, AMOUNT));

        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("APPLIED"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Db.single(
                "select outcome from payments.payment_event where order_id = ? and transaction_status = 'deny'",
                orderId.toString())).isEqualTo("NOT_CONFIRMED"));
        assertThat(status(orderId)).isEqualTo("SETTLED");
        assertThat(events(orderId)).containsExactly("PaymentSettled");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Db.single(
                "select next_check_at from payments.payment_attempt where order_id = ?", orderId)).isNull());
    }

    @Test
    void defect3_aRefundClaimRecordedWhileGetStatusIsBeingAskedWaitsForTheNextAnswer() {
        UUID orderId = pendingPayment(midtrans);
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200);
        Note first = Note.of(orderId).status("partial_refund", "200").amount("99000.00").fraud("accept").set("refund_amount", "12000.00");
        Note second = Note.of(orderId).status("partial_refund", "200").amount("99000.00").fraud("accept").set("refund_amount", "24000.00");
        // Get Status is slow to report the first refund; the second arrives while it is being asked
        midtrans.stubFor(Midtrans.statusOf(orderId).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withFixedDelay(600)
                .withBody(Note.of(orderId).status("partial_refund", "200").amount("99000.00").fraud("accept")
                        .set("refund_amount", "12000.00").json())));

        deliver(first.json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));
        Midtrans.stubStatus(midtrans, orderId, Note.of(orderId).status("partial_refund", "200").amount("99000.00").fraud("accept")
                .set("refund_amount", "24000.00"));
        deliver(second.json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(events(orderId)).containsExactly("PaymentSettled", "PaymentRefunded", "PaymentRefunded"));
        assertThat(Db.count("select count(*) from payments.payment_event where order_id = ? and source = 'WEBHOOK'"
                + " and outcome = 'CONFIRMED'", orderId.toString())).isEqualTo(2);
    }
}
