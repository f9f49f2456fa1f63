package dev.lunas.payment.resource;

import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.events;
import static dev.lunas.payment.testing.Api.deliver;
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
import dev.lunas.common.testing.TestDatabase;
import dev.lunas.payment.testing.Db;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.Midtrans;
import dev.lunas.payment.testing.Midtrans.Note;
import dev.lunas.payment.testing.MidtransWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class WebhookTest {

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
    void aSettlementSettlesThePaymentAndPublishesOneVerifiedResult() throws Exception {
        UUID orderId = pendingPayment(midtrans);

        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("APPLIED"));

        assertThat(status(orderId)).isEqualTo("SETTLED");
        assertThat(events(orderId)).containsExactly("PaymentSettled");
        assertThat(Db.single("select jsonb_typeof(payload) from payments.outbox where aggregate_id = ?", orderId.toString()))
                .isEqualTo("object");
        JsonNode payload = new ObjectMapper().readTree((String) Db.single(
                "select payload::text from payments.outbox where aggregate_id = ?", orderId.toString()));
        assertThat(payload.get("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(payload.get("grossAmount").asLong()).isEqualTo(AMOUNT);
        assertThat(payload.get("currency").asText()).isEqualTo("IDR");
        assertThat(payload.get("transactionStatus").asText()).isEqualTo("settlement");
        assertThat(payload.get("source").asText()).isEqualTo("WEBHOOK");
        assertThat(payload.get("late").asBoolean()).isFalse();
        assertThat(payload.get("occurredAt").asText()).isEqualTo("2026-11-21T10:05:00Z");
        var inbox = Db.row("select source, outcome, payload from payments.payment_event where order_id = ?", orderId.toString());
        assertThat(inbox.get("source")).isEqualTo("WEBHOOK");
        assertThat(inbox.get("outcome")).isEqualTo("APPLIED");
        assertThat(inbox.get("payload")).isEqualTo(Note.settlement(orderId, AMOUNT).json());
        assertThat(Db.count("select count(*) from payments.payment_audit where order_id = ? and action = 'SETTLE'", orderId))
                .isEqualTo(1);
    }

    @Test
    void twentyConcurrentCopiesOfASettlementPublishExactlyOnePaymentSettled() throws Exception {
        UUID orderId = pendingPayment(midtrans);
        String settlement = Note.settlement(orderId, AMOUNT).json();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return deliver(settlement).statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(events(orderId)).containsExactly("PaymentSettled");
        assertThat(Db.count("select count(*) from payments.payment_event where order_id = ?", orderId.toString())).isEqualTo(1);
        assertThat(status(orderId)).isEqualTo("SETTLED");
    }

    @Test
    void aRedeliveredNotificationIsAcknowledgedAndChangesNothingAgain() {
        UUID orderId = pendingPayment(midtrans);
        String settlement = Note.settlement(orderId, AMOUNT).json();

        deliver(settlement).then().statusCode(200).body("outcome", equalTo("APPLIED"));
        deliver(settlement).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));

        assertThat(events(orderId)).containsExactly("PaymentSettled");
    }

    @Test
    void aPendingAfterTheSettlementLeavesThePaymentSettled() {
        UUID orderId = pendingPayment(midtrans);

        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200);
        deliver(Note.of(orderId).status("pending", "201").amount("99000.00").fraud("accept").json())
                .then().statusCode(200).body("outcome", equalTo("IGNORED"));
        deliver(Note.of(orderId).status("expire", "202").amount("99000.00").json())
                .then().statusCode(200).body("outcome", equalTo("IGNORED"));

        assertThat(status(orderId)).isEqualTo("SETTLED");
        assertThat(events(orderId)).containsExactly("PaymentSettled");
        assertThat(Db.single("select transaction_status from payments.payment_attempt where order_id = ?", orderId))
                .isEqualTo("settlement");
    }

    @Test
    void outOfOrderDeliveryEndsInTheSameStateAsInOrder() {
        UUID orderId = pendingPayment(midtrans);
        String pending = Note.of(orderId).status("pending", "201").amount("99000.00").fraud("accept").json();

        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200);
        deliver(pending).then().statusCode(200);
        deliver(pending).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));

        assertThat(status(orderId)).isEqualTo("SETTLED");
        assertThat(events(orderId)).containsExactly("PaymentSettled");
        assertThat(Db.count("select count(*) from payments.payment_event where order_id = ?", orderId.toString())).isEqualTo(2);
    }

    @Test
    void aSecondTransactionSettlingAPaidOrderIsRecordedButPublishesNothingNew() {
        UUID orderId = pendingPayment(midtrans);
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200);

        deliver(Note.settlement(orderId, AMOUNT).set("transaction_id", "another-transaction").json())
                .then().statusCode(200).body("outcome", equalTo("IGNORED"));

        // no second PaymentSettled; a person is alerted to refund one of them (defect 7)
        assertThat(events(orderId)).containsExactly("PaymentSettled", "OpsAlert");
        assertThat(Db.count("select count(*) from payments.payment_event where order_id = ?", orderId.toString())).isEqualTo(2);
    }

    @Test
    void aPendingNotificationRecordsTheChosenMethodAndKeepsThePaymentPending() {
        UUID orderId = pendingPayment(midtrans);

        deliver(Note.of(orderId).status("PENDING", "201").amount("99000.00").set("payment_type", "echannel").json())
                .then().statusCode(200).body("outcome", equalTo("IGNORED"));

        var attempt = Db.row("select status, transaction_status, payment_type from payments.payment_attempt where order_id = ?", orderId);
        assertThat(attempt.get("status")).isEqualTo("PENDING");
        assertThat(attempt.get("transaction_status")).isEqualTo("pending");
        assertThat(attempt.get("payment_type")).isEqualTo("echannel");
        assertThat(events(orderId)).isEmpty();
    }

    @Test
    void statusesAreReadCaseInsensitivelyAndUnknownFieldsAreIgnored() {
        UUID orderId = pendingPayment(midtrans);
        String body = Note.settlement(orderId, AMOUNT).status("SETTLEMENT", "200").fraud("ACCEPT").json()
                .replaceFirst("\\{", "{\"va_numbers\":[{\"va_number\":\"333333333333333\",\"bank\":\"bca\"}],"
                        + "\"payment_amounts\":[],\"brand_new_field\":{\"nested\":true},");

        deliver(body).then().statusCode(200).body("outcome", equalTo("APPLIED"));

        assertThat(status(orderId)).isEqualTo("SETTLED");
    }

    @Test
    void theAmountIsSignedAsSentAndComparedAsANumber() {
        UUID orderId = pendingPayment(midtrans);
        // signed over "99000" but sent as "99000.00": the signature covers the exact string
        deliver(Note.settlement(orderId, AMOUNT).signedAs("99000", "200").json()).then().statusCode(401);
        assertThat(status(orderId)).isEqualTo("PENDING");

        // sent and signed as "99000": a different string, the same number as the order's 99000
        deliver(Note.settlement(orderId, AMOUNT).amount("99000").json()).then().statusCode(200).body("outcome", equalTo("APPLIED"));
        assertThat(status(orderId)).isEqualTo("SETTLED");
    }

    @Test
    void refundsChargebacksAndReversalsAreEachPublishedOnceGetStatusConfirmsThemAndThePaymentStaysSettled()
            throws Exception {
        UUID orderId = pendingPayment(midtrans);
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200);

        Note partialRefund = Note.of(orderId).status("partial_refund", "200").amount("99000.00").fraud("accept")
                .set("refund_amount", "12000.00");
        Midtrans.stubStatus(midtrans, orderId, partialRefund);
        deliver(partialRefund.json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));
        awaitEvents(orderId, "PaymentSettled", "PaymentRefunded");
        // Midtrans sends each refund twice by design, the second with bank_confirmed_at
        deliver(partialRefund.json().replace("\"currency\"", "\"bank_confirmed_at\":\"2026-11-22 10:00:00\",\"currency\""))
                .then().statusCode(200).body("outcome", equalTo("DUPLICATE"));
        Note refund = Note.of(orderId).status("refund", "200").amount("99000.00").fraud("accept").set("refund_amount", "99000.00");
        Midtrans.stubStatus(midtrans, orderId, refund);
        deliver(refund.json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));
        awaitEvents(orderId, "PaymentSettled", "PaymentRefunded", "PaymentRefunded");
        Note chargeback = Note.of(orderId).status("chargeback", "200").amount("99000.00");
        Midtrans.stubStatus(midtrans, orderId, chargeback);
        deliver(chargeback.json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));
        awaitEvents(orderId, "PaymentSettled", "PaymentRefunded", "PaymentRefunded", "PaymentChargedBack");
        Note deny = Note.of(orderId).status("deny", "202").amount("99000.00");
        Midtrans.stubStatus(midtrans, orderId, deny);
        deliver(deny.json()).then().statusCode(200).body("outcome", equalTo("AWAITING_CONFIRMATION"));
        awaitEvents(orderId, "PaymentSettled", "PaymentRefunded", "PaymentRefunded", "PaymentChargedBack", "PaymentReversed");
        deliver(deny.json()).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));

        assertThat(status(orderId)).isEqualTo("SETTLED");
        assertThat(events(orderId)).containsExactly("PaymentSettled", "PaymentRefunded", "PaymentRefunded",
                "PaymentChargedBack", "PaymentReversed");
        JsonNode firstRefund = new ObjectMapper().readTree((String) Db.single("select payload::text from payments.outbox"
                + " where aggregate_id = ? and event_type = 'PaymentRefunded' order by id limit 1", orderId.toString()));
        assertThat(firstRefund.get("refundAmount").asLong()).isEqualTo(12_000);
        assertThat(firstRefund.get("source").asText()).isEqualTo("RECONCILIATION");
        assertThat(Db.count("select count(*) from payments.payment_event where order_id = ? and outcome = 'AWAITING_CONFIRMATION'",
                orderId.toString())).isZero();
    }

    private static void awaitEvents(UUID orderId, String... expected) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(events(orderId)).containsExactly(expected));
    }

    @Test
    void aValidlySignedNotificationForAnUnknownOrderIsRecordedAndIgnored() {
        UUID unknown = UUID.randomUUID();

        deliver(Note.settlement(unknown, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("UNKNOWN_ORDER"));
        deliver(Note.settlement("bca-va-01", AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("UNKNOWN_ORDER"));

        assertThat(Db.count("select count(*) from payments.payment_event where outcome = 'UNKNOWN_ORDER'")).isEqualTo(2);
        assertThat(Db.count("select count(*) from payments.outbox")).isZero();
        assertThat(Db.count("select count(*) from payments.payment_attempt")).isZero();
    }

    @Test
    void forgedOrMalformedNotificationsAreRefusedAndWriteNothing() {
        UUID orderId = pendingPayment(midtrans);
        long before = Db.writtenRows();
        String settlement = Note.settlement(orderId, AMOUNT).json();

        // wrong and missing signatures
        expectRefused(Note.settlement(orderId, AMOUNT).withSignature("0".repeat(128)).json(), 401, "invalid-signature");
        expectRefused(Note.settlement(orderId, AMOUNT).unsigned().json(), 401, "invalid-signature");
        expectRefused(Note.settlement(orderId, AMOUNT).withSignature("").json(), 401, "invalid-signature");
        // a tampered amount breaks the signature
        expectRefused(Note.settlement(orderId, AMOUNT).amount("1000.00").signedAs("99000.00", "200").json(), 401,
                "invalid-signature");
        // a signed "pending" turned into "settlement": the status is unsigned, its status_code is
        expectRefused(Note.of(orderId).status("settlement", "201").amount("99000.00").fraud("accept").json(), 400,
                "inconsistent-status");
        // malformed bodies
        expectRefused("", 400, "malformed-body");
        expectRefused("order_id=1&status_code=200", 400, "malformed-body");
        expectRefused("[" + settlement + "]", 400, "malformed-body");
        expectRefused("{\"order_id\":", 400, "malformed-body");
        // a second transaction_status: two parsers could read two different payments
        expectRefused("{\"transaction_status\":\"pending\"," + settlement.substring(1), 400, "malformed-body");
        expectRefused(Note.settlement(orderId, AMOUNT).set("order_id", null).json(), 400, "missing-fields");
        expectRefused(Note.settlement(orderId, AMOUNT).set("transaction_status", null).json(), 400, "missing-fields");
        expectRefused(Note.settlement(orderId, AMOUNT).amount("lots").json(), 400, "malformed-body");
        expectRefused(settlement.replace("\"currency\":\"IDR\"", "\"currency\":\"IDR\",\"padding\":\"" + "x".repeat(70_000) + "\""),
                413, "payload-too-large");

        assertThat(Db.writtenRows()).isEqualTo(before);
        assertThat(status(orderId)).isEqualTo("PENDING");
        given().contentType(ContentType.TEXT).body(settlement).post("/webhooks/midtrans").then().statusCode(200);
        assertThat(status(orderId)).isEqualTo("SETTLED");
    }

    @Test
    void aValidlySignedAmountOrCurrencyMismatchChangesNothingButIsRecordedWithAnAlert() {
        UUID orderId = pendingPayment(midtrans);

        expectRefused(Note.settlement(orderId, AMOUNT).amount("1000.00").json(), 422, "amount-mismatch");
        expectRefused(Note.settlement(orderId, AMOUNT).amount("99000.01").json(), 400, "malformed-body");
        expectRefused(Note.settlement(orderId, AMOUNT).set("currency", "USD").json(), 422, "amount-mismatch");

        assertThat(status(orderId)).isEqualTo("PENDING");
        assertThat(events(orderId)).containsExactly("OpsAlert", "OpsAlert");
        assertThat(Db.count("select count(*) from payments.payment_event where order_id = ? and outcome = 'AMOUNT_MISMATCH'",
                orderId.toString())).isEqualTo(2);
    }

    @Test
    void aDatabaseThatCannotRecordTheNotificationAnswers503SoMidtransRetries() throws Exception {
        UUID orderId = pendingPayment(midtrans);
        String settlement = Note.settlement(orderId, AMOUNT).json();
        try (Connection connection = TestDatabase.get().connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "select 1 from payments.payment_attempt where order_id = ? for update")) {
                lock.setObject(1, orderId);
                lock.executeQuery();
            }
            Response answer = deliver(settlement);
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isNotBlank();
            assertThat(answer.contentType()).startsWith("application/problem+json");
            connection.rollback();
        }
        assertThat(Db.count("select count(*) from payments.payment_event")).isZero();

        deliver(settlement).then().statusCode(200).body("outcome", equalTo("APPLIED"));
        assertThat(events(orderId)).containsExactly("PaymentSettled");
    }

    private static void expectRefused(String body, int status, String problem) {
        deliver(body).then().statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/" + problem));
    }
}
