package dev.lunas.payment.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.events;
import static dev.lunas.payment.testing.Api.pendingPayment;
import static dev.lunas.payment.testing.Api.reconcile;
import static dev.lunas.payment.testing.Api.status;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.common.testing.TestDatabase;
import dev.lunas.payment.service.ReconciliationService;
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
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class ReconciliationTest {

    @InjectMidtrans
    WireMockServer midtrans;

    @Inject
    ReconciliationJob job;

    @Inject
    ReconciliationService reconciliation;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        Db.reset();
        midtrans.resetAll();
        breakers.resetAll();
    }

    @AfterEach
    void closeBreakers() {
        breakers.resetAll();
    }

    @Test
    void aPendingPaymentThatGetStatusReportsSettledIsSettledByTheJob() throws Exception {
        UUID orderId = pendingPayment(midtrans);
        UUID notDue = pendingPayment(midtrans);
        makeDue(orderId);
        Midtrans.stubStatus(midtrans, orderId, Note.settlement(orderId, AMOUNT));

        runJob();

        assertThat(status(orderId)).isEqualTo("SETTLED");
        assertThat(events(orderId)).containsExactly("PaymentSettled");
        assertThat(payload(orderId, "PaymentSettled").get("source").asText()).isEqualTo("RECONCILIATION");
        assertThat(Db.row("select source, outcome from payments.payment_event where order_id = ?", orderId.toString()))
                .containsEntry("source", "RECONCILIATION").containsEntry("outcome", "APPLIED");
        assertThat(Db.single("select next_check_at from payments.payment_attempt where order_id = ?", orderId)).isNull();
        var call = midtrans.findAll(getRequestedFor(urlEqualTo("/v2/" + orderId + "/status"))).get(0);
        assertThat(call.getHeader("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString((Midtrans.SERVER_KEY + ":").getBytes(StandardCharsets.UTF_8)));
        assertThat(midtrans.findAll(getRequestedFor(urlEqualTo("/v2/" + notDue + "/status")))).isEmpty();
        assertThat(status(notDue)).isEqualTo("PENDING");
    }

    @Test
    void getStatusNotFoundAfterTheExpiryExpiresThePayment() throws Exception {
        UUID orderId = pendingPayment(midtrans);
        Db.update("update payments.payment_attempt set expires_at = now() - interval '10 minutes' where order_id = ?", orderId);
        makeDue(orderId);
        Midtrans.stubStatusNotFound(midtrans, orderId);

        runJob();

        assertThat(status(orderId)).isEqualTo("EXPIRED");
        assertThat(events(orderId)).containsExactly("PaymentExpired");
        assertThat(payload(orderId, "PaymentExpired").get("grossAmount").asLong()).isEqualTo(AMOUNT);
        assertThat(Db.row("select transaction_status, status_code, outcome from payments.payment_event where order_id = ?",
                orderId.toString())).containsEntry("transaction_status", "not_found").containsEntry("status_code", "404")
                .containsEntry("outcome", "APPLIED");
    }

    @Test
    void notFoundAsAStatusCodeInsideA200AnswerIsReadTheSameWay() throws Exception {
        UUID orderId = pendingPayment(midtrans);
        Db.update("update payments.payment_attempt set expires_at = now() - interval '10 minutes' where order_id = ?", orderId);
        makeDue(orderId);
        midtrans.stubFor(Midtrans.statusOf(orderId).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status_code\":\"404\",\"status_message\":\"Transaction doesn't exist.\"}")));

        runJob();

        assertThat(status(orderId)).isEqualTo("EXPIRED");
    }

    @Test
    void getStatusNotFoundBeforeTheExpiryChangesNothingAndChecksAgainLater() throws Exception {
        UUID orderId = pendingPayment(midtrans);
        makeDue(orderId);
        Midtrans.stubStatusNotFound(midtrans, orderId);

        runJob();

        assertThat(status(orderId)).isEqualTo("PENDING");
        assertThat(events(orderId)).isEmpty();
        assertThat((Boolean) Db.single("select next_check_at > now() + interval '1 minute' from payments.payment_attempt"
                + " where order_id = ?", orderId)).isTrue();
    }

    @Test
    void aLateSettlementIsConfirmedWithGetStatusAndAppliedAsLate() throws Exception {
        UUID orderId = pendingPayment(midtrans);
        closeAs(orderId, Note.of(orderId).status("expire", "202").amount("99000.00"), "EXPIRED");
        Midtrans.stubStatus(midtrans, orderId, Note.settlement(orderId, AMOUNT));

        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo("SETTLED"));
        assertThat(events(orderId)).containsExactly("PaymentExpired", "PaymentSettled");
        JsonNode settled = payload(orderId, "PaymentSettled");
        assertThat(settled.get("late").asBoolean()).isTrue();
        assertThat(settled.get("source").asText()).isEqualTo("RECONCILIATION");
        assertThat((Boolean) Db.single("select late_settlement from payments.payment_attempt where order_id = ?", orderId)).isTrue();
        assertThat(Db.single("select outcome from payments.payment_event where order_id = ? and source = 'WEBHOOK'"
                + " and transaction_status = 'settlement'", orderId.toString())).isEqualTo("CONFIRMED");
        // Midtrans redelivers the same settlement: nothing happens twice
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));
        assertThat(events(orderId)).containsExactly("PaymentExpired", "PaymentSettled");
    }

    @Test
    void aLateSettlementMidtransDoesNotConfirmIsNotApplied() {
        UUID orderId = pendingPayment(midtrans);
        closeAs(orderId, Note.of(orderId).status("deny", "202").amount("99000.00"), "FAILED");

        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Db.single(
                "select outcome from payments.payment_event where order_id = ? and transaction_status = 'settlement'",
                orderId.toString())).isEqualTo("NOT_CONFIRMED"));
        assertThat(status(orderId)).isEqualTo("FAILED");
        // defect 7: a late settlement Get Status will not confirm needs a person
        assertThat(events(orderId)).containsExactly("PaymentFailed", "OpsAlert");
        assertThat(Db.single("select next_check_at from payments.payment_attempt where order_id = ?", orderId)).isNull();
    }

    @Test
    void aConfirmationThatCannotReachMidtransIsRetriedByTheJob() throws Exception {
        UUID orderId = pendingPayment(midtrans);
        closeAs(orderId, Note.of(orderId).status("cancel", "202").amount("99000.00"), "FAILED");
        midtrans.stubFor(Midtrans.statusOf(orderId).willReturn(aResponse().withStatus(503)));

        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                midtrans.findAll(getRequestedFor(urlEqualTo("/v2/" + orderId + "/status")))).hasSizeGreaterThanOrEqualTo(4));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat((Boolean) Db.single(
                "select next_check_at is not null from payments.payment_attempt where order_id = ?", orderId)).isTrue());
        assertThat(status(orderId)).isEqualTo("FAILED");

        Midtrans.stubStatus(midtrans, orderId, Note.settlement(orderId, AMOUNT));
        breakers.resetAll();
        makeDue(orderId);
        runJob();

        assertThat(status(orderId)).isEqualTo("SETTLED");
        assertThat(events(orderId)).containsExactly("PaymentFailed", "PaymentSettled");
        assertThat(payload(orderId, "PaymentSettled").get("late").asBoolean()).isTrue();
    }

    @Test
    void aGetStatusAnswerWithAWrongSignatureIsNotApplied() throws Exception {
        UUID orderId = pendingPayment(midtrans);
        makeDue(orderId);
        Midtrans.stubStatus(midtrans, orderId, Note.settlement(orderId, AMOUNT).withSignature("f".repeat(128)));

        runJob();

        assertThat(status(orderId)).isEqualTo("PENDING");
        assertThat(events(orderId)).isEmpty();
        assertThat(Db.count("select count(*) from payments.payment_event")).isZero();
    }

    @Test
    void theJobSkipsAttemptsAnotherReplicaHoldsAndChecksTheRest() throws Exception {
        UUID held = pendingPayment(midtrans);
        UUID free = pendingPayment(midtrans);
        makeDue(held);
        makeDue(free);
        Midtrans.stubStatus(midtrans, held, Note.settlement(held, AMOUNT));
        Midtrans.stubStatus(midtrans, free, Note.settlement(free, AMOUNT));
        try (Connection otherReplica = TestDatabase.get().connect()) {
            otherReplica.setAutoCommit(false);
            try (PreparedStatement claim = otherReplica.prepareStatement(
                    "select 1 from payments.payment_attempt where order_id = ? for update")) {
                claim.setObject(1, held);
                claim.executeQuery();
            }
            // the held attempt is skipped by the claim; checking the free one must not wait for it
            VertxContextSupport.subscribeAndAwait(() -> reconciliation.reconcileDue()
                    .invoke(run -> assertThat(run.checked()).isEqualTo(1)));
            otherReplica.rollback();
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
        assertThat(status(free)).isEqualTo("SETTLED");
        assertThat(status(held)).isEqualTo("PENDING");
        assertThat(midtrans.findAll(getRequestedFor(urlEqualTo("/v2/" + held + "/status")))).isEmpty();
    }

    @Test
    void theAdminApiReconcilesOneOrderOnDemand() {
        UUID orderId = pendingPayment(midtrans);
        Midtrans.stubStatus(midtrans, orderId, Note.of(orderId).status("capture", "200").amount("99000.00").fraud("accept")
                .set("payment_type", "credit_card"));

        reconcile(orderId).then().statusCode(200)
                .body("orderId", equalTo(orderId.toString()))
                .body("status", equalTo("SETTLED"))
                .body("providerStatus", equalTo("capture"))
                .body("outcome", equalTo("APPLIED"));
        reconcile(orderId).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));

        reconcile(UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().post("/admin/payments/" + orderId + "/reconcile").then().statusCode(401);
        UUID unreachable = pendingPayment(midtrans);
        midtrans.stubFor(Midtrans.statusOf(unreachable).willReturn(aResponse().withStatus(500)));
        reconcile(unreachable).then().statusCode(503).body("type", equalTo("https://lunas.dev/problems/payment-provider-unavailable"));
        assertThat(events(orderId)).containsExactly("PaymentSettled");
    }

    /** A closing notification Get Status confirms (as Midtrans would): the attempt reaches {@code expected}. */
    private void closeAs(UUID orderId, Note note, String expected) {
        Midtrans.stubStatus(midtrans, orderId, note);
        deliver(note.json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo(expected));
    }

    private void runJob() {
        try {
            VertxContextSupport.subscribeAndAwait(() -> job.run());
        } catch (Throwable e) {
            throw new AssertionError("The reconciliation job failed", e);
        }
    }

    private static void makeDue(UUID orderId) {
        Db.update("update payments.payment_attempt set next_check_at = now() - interval '1 second' where order_id = ?", orderId);
    }

    private static JsonNode payload(UUID orderId, String eventType) throws Exception {
        return new ObjectMapper().readTree((String) Db.single("select payload::text from payments.outbox"
                + " where aggregate_id = ? and event_type = ?", orderId.toString(), eventType));
    }
}
