package dev.lunas.order;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Concurrently;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.Http;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.PaymentEvents;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /internal/payment-events}: verified payment facts applied through the state machine. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class PaymentEventsTest {

    @InjectPaymentService
    WireMockServer paymentService;

    @Inject
    CircuitBreakerMaintenance breakers;

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void paymentServiceIssuesTokens() {
        breakers.resetAll();
        paymentService.resetAll();
        PaymentServiceStub.issueTokens(paymentService);
    }

    @Test
    void aSettlementPaysTheOrderGrantsAccessAndIsAppliedOnce() {
        String email = Checkouts.email();
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE, email, null);
        UUID eventId = UUID.randomUUID();
        String settled = PaymentEvents.settled(eventId, orderId, "tx-" + orderId, 99000);

        PaymentEvents.post(settled).then().statusCode(200)
                .body("eventId", equalTo(eventId.toString()))
                .body("outcome", equalTo("APPLIED"));

        Map<String, Object> order = Db.row("select status, paid_at, payment_transaction_id from orders.customer_order where id = ?", orderId);
        assertThat(order).containsEntry("status", "PAID").containsEntry("payment_transaction_id", "tx-" + orderId);
        assertThat(order.get("paid_at")).isNotNull();
        assertThat(Db.row("select status, email, access_url from orders.entitlement where order_id = ?", orderId))
                .containsEntry("status", "ACTIVE").containsEntry("email", email)
                .containsEntry("access_url", "http://localhost:3000/kelas");
        assertThat(Db.outbox(orderId, "OrderPaid")).isEqualTo(1);
        assertThat(Db.outboxField(orderId, "OrderPaid", "accessUrl")).containsExactly("http://localhost:3000/kelas");
        assertThat(Db.value("select reason from orders.audit_log where order_id = ? and new_value = 'PAID'", orderId))
                .isEqualTo("settled");
        given().get("/api/orders/" + orderId).then().statusCode(200)
                .body("status", equalTo("PAID")).body("payment", equalTo(null));

        PaymentEvents.post(settled).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));
        assertThat(Db.outbox(orderId, "OrderPaid")).isEqualTo(1);
        assertThat(Db.count("select count(*) from orders.entitlement where order_id = ?", orderId)).isEqualTo(1);
    }

    @Test
    void concurrentCopiesOfASettlementApplyExactlyOnce() throws Exception {
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        String settled = PaymentEvents.settled(UUID.randomUUID(), orderId, "tx-" + orderId, 99000);

        List<HttpResponse<String>> answers = Concurrently.run(10,
                i -> () -> Http.paymentEvent(base, PaymentEvents.RELAY_TOKEN, settled));

        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
        assertThat(answers).filteredOn(answer -> answer.body().contains("APPLIED")).hasSize(1);
        assertThat(answers).filteredOn(answer -> answer.body().contains("DUPLICATE")).hasSize(9);
        assertThat(Db.outbox(orderId, "OrderPaid")).isEqualTo(1);
        assertThat(Db.count("select count(*) from orders.audit_log where order_id = ? and new_value = 'PAID'", orderId)).isEqualTo(1);
    }

    @Test
    void aSettlementAlsoPaysAnOrderThatNeverGotItsToken() {
        PaymentServiceStub.answerUnavailable(paymentService, 5);
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        assertThat(Db.orderStatus(orderId)).isEqualTo("CREATED");

        PaymentEvents.expect(PaymentEvents.settled(UUID.randomUUID(), orderId, "tx-" + orderId, 99000), "APPLIED");

        assertThat(Db.orderStatus(orderId)).isEqualTo("PAID");
    }

    @Test
    void aFailureOrExpiryAfterPaymentIsIgnoredAndPaidIsNeverLeft() {
        UUID orderId = paidOrder(Checkouts.SEED_PACKAGE, null);

        for (String type : List.of("PaymentFailed", "PaymentExpired")) {
            UUID eventId = UUID.randomUUID();
            PaymentEvents.expect(PaymentEvents.envelope(eventId, type, orderId, "tx-" + orderId,
                    type.equals("PaymentFailed") ? "deny" : "expire", 99000, null), "IGNORED");
            assertThat(Db.value("select outcome from orders.processed_event where event_id = ?", eventId)).isEqualTo("IGNORED");
        }

        assertThat(Db.orderStatus(orderId)).isEqualTo("PAID");
        assertThat(Db.value("select status from orders.entitlement where order_id = ?", orderId)).isEqualTo("ACTIVE");
        assertThat(Db.count("select count(*) from orders.audit_log where order_id = ? and action = 'payment_event'"
                + " and old_value = 'PAID' and new_value = 'PAID'", orderId)).isEqualTo(2);
    }

    @Test
    void aRepeatedSettlementIsADuplicateAndASecondPaymentRaisesARefundAlert() {
        UUID orderId = paidOrder(Checkouts.SEED_PACKAGE, null);

        PaymentEvents.expect(PaymentEvents.settled(UUID.randomUUID(), orderId, "tx-" + orderId, 99000), "DUPLICATE");
        assertThat(Db.outbox(orderId, "OpsAlert")).isZero();

        PaymentEvents.expect(PaymentEvents.settled(UUID.randomUUID(), orderId, "tx-second", 99000), "IGNORED");
        assertThat(Db.outboxField(orderId, "OpsAlert", "code")).containsExactly("double_payment");
        assertThat(Db.outboxField(orderId, "OpsAlert", "severity")).containsExactly("critical");
        assertThat(Db.outbox(orderId, "OrderPaid")).isEqualTo(1);
    }

    @Test
    void aFailedPaymentReleasesTheQuotaPlaceAndTheDiscountUse() {
        String packageId = Db.createPackage("kelas-gagal", 100_000, 5);
        String code = Db.createPercentCode(10, null, 10, true);
        String email = Checkouts.email();
        UUID orderId = Checkouts.create(packageId, email, code);
        assertThat(Db.reserved(packageId)).isEqualTo(1);
        assertThat(Db.uses(code)).isEqualTo(1);

        PaymentEvents.expect(PaymentEvents.envelope(UUID.randomUUID(), "PaymentFailed", orderId, "tx-" + orderId, "deny",
                90_000, null), "APPLIED");

        assertThat(Db.orderStatus(orderId)).isEqualTo("FAILED");
        assertThat(Db.reserved(packageId)).isZero();
        assertThat(Db.uses(code)).isZero();
        assertThat(Db.value("select released_at from orders.discount_redemption where order_id = ?", orderId)).isNotNull();
        assertThat(Db.outbox(orderId, "OrderExpired")).isZero();
        Checkouts.create(packageId, email, code);
    }

    @Test
    void anExpiredPaymentExpiresTheOrder() {
        String packageId = Db.createPackage("kelas-kedaluwarsa", 100_000, 3);
        UUID orderId = Checkouts.create(packageId);

        PaymentEvents.expect(PaymentEvents.envelope(UUID.randomUUID(), "PaymentExpired", orderId, "tx-" + orderId,
                "expire", 100_000, null), "APPLIED");

        assertThat(Db.orderStatus(orderId)).isEqualTo("EXPIRED");
        assertThat(Db.reserved(packageId)).isZero();
        assertThat(Db.outbox(orderId, "OrderExpired")).isEqualTo(1);
    }

    @Test
    void aLateSettlementPaysTheClosedOrderEvenWhenItsQuotaPlaceIsGone() {
        String packageId = Db.createPackage("kelas-satu", 120_000, 1);
        String code = Db.createFixedCode(20_000, packageId, 1, false);
        UUID late = Checkouts.create(packageId, Checkouts.email(), code);
        PaymentEvents.expect(PaymentEvents.envelope(UUID.randomUUID(), "PaymentExpired", late, "tx-" + late, "expire",
                100_000, null), "APPLIED");
        UUID newcomer = Checkouts.create(packageId, Checkouts.email(), code);
        assertThat(Db.reserved(packageId)).isEqualTo(1);
        assertThat(Db.uses(code)).isEqualTo(1);

        PaymentEvents.expect(PaymentEvents.settled(UUID.randomUUID(), late, "tx-" + late, 100_000), "APPLIED");

        assertThat(Db.orderStatus(late)).isEqualTo("PAID");
        assertThat(Db.orderStatus(newcomer)).isEqualTo("PENDING_PAYMENT");
        assertThat(Db.reserved(packageId)).isEqualTo(2);
        assertThat(Db.uses(code)).isEqualTo(2);
        assertThat(Db.value("select status from orders.entitlement where order_id = ?", late)).isEqualTo("ACTIVE");
        assertThat(Db.outbox(late, "OrderPaid")).isEqualTo(1);
        assertThat(Db.outboxField(late, "OpsAlert", "code")).containsExactlyInAnyOrder("late_settlement", "quota_overrun");
        assertThat(Db.row("select old_value, reason from orders.audit_log where order_id = ? and new_value = 'PAID'", late))
                .containsEntry("old_value", "EXPIRED").containsEntry("reason", "late_settlement");
    }

    @Test
    void aRefundRevokesAccessButTheOrderStaysPaid() {
        String email = Checkouts.email();
        UUID orderId = paidOrder(Checkouts.SEED_PACKAGE, email);

        PaymentEvents.expect(PaymentEvents.envelope(UUID.randomUUID(), "PaymentRefunded", orderId, "tx-" + orderId,
                "refund", 99000, 99000L), "APPLIED");

        assertThat(Db.orderStatus(orderId)).isEqualTo("PAID");
        assertThat(Db.value("select status from orders.entitlement where order_id = ?", orderId)).isEqualTo("REVOKED");
        assertThat(Db.outboxField(orderId, "OpsAlert", "code")).containsExactly("payment_refunded");
        given().header("Authorization", "Bearer " + PaymentEvents.ENTITLEMENTS_TOKEN).queryParam("email", email.toUpperCase())
                .get("/api/entitlements").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].orderId", equalTo(orderId.toString()))
                .body("[0].status", equalTo("REVOKED"));

        PaymentEvents.expect(PaymentEvents.envelope(UUID.randomUUID(), "PaymentRefunded", orderId, "tx-" + orderId,
                "refund", 99000, 99000L), "IGNORED");
        assertThat(Db.outbox(orderId, "OpsAlert")).isEqualTo(1);
    }

    @Test
    void aPartialChargebackSuspendsAccessAndAReversalRevokesIt() {
        UUID orderId = paidOrder(Checkouts.SEED_PACKAGE, null);

        PaymentEvents.expect(PaymentEvents.envelope(UUID.randomUUID(), "PaymentChargedBack", orderId, "tx-" + orderId,
                "partial_chargeback", 99000, 40000L), "APPLIED");
        assertThat(Db.value("select status from orders.entitlement where order_id = ?", orderId)).isEqualTo("SUSPENDED");

        PaymentEvents.expect(PaymentEvents.envelope(UUID.randomUUID(), "PaymentReversed", orderId, "tx-" + orderId,
                "deny", 99000, null), "APPLIED");
        assertThat(Db.value("select status from orders.entitlement where order_id = ?", orderId)).isEqualTo("REVOKED");
        assertThat(Db.orderStatus(orderId)).isEqualTo("PAID");
        assertThat(Db.outboxField(orderId, "OpsAlert", "code")).containsExactly("payment_charged_back", "payment_reversed");
    }

    @Test
    void aRefundThatOvertakesItsSettlementIsAskedForAgainLater() {
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        UUID eventId = UUID.randomUUID();

        PaymentEvents.post(PaymentEvents.envelope(eventId, "PaymentRefunded", orderId, "tx-" + orderId, "refund", 99000, 99000L))
                .then().statusCode(503).header("Retry-After", "60").contentType("application/problem+json");

        assertThat(Db.count("select count(*) from orders.processed_event where event_id = ?", eventId)).isZero();
        assertThat(Db.orderStatus(orderId)).isEqualTo("PENDING_PAYMENT");
    }

    @Test
    void aSettlementOfAnotherAmountChangesNothing() {
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        Map<String, Long> before = Db.tableCounts();

        PaymentEvents.post(PaymentEvents.settled(UUID.randomUUID(), orderId, "tx-" + orderId, 9900))
                .then().statusCode(422).body("type", equalTo("https://lunas.dev/problems/amount-mismatch"));

        assertThat(Db.tableCounts()).isEqualTo(before);
        assertThat(Db.orderStatus(orderId)).isEqualTo("PENDING_PAYMENT");
    }

    @Test
    void eventsThatCanNeverBeAppliedAreRefusedWithoutWritingAnything() {
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        Map<String, Long> before = Db.tableCounts();

        PaymentEvents.post(PaymentEvents.settled(UUID.randomUUID(), UUID.randomUUID(), "tx", 99000))
                .then().statusCode(404).body("type", equalTo("https://lunas.dev/problems/order-not-found"));
        PaymentEvents.post(PaymentEvents.envelope(UUID.randomUUID(), "PaymentPending", orderId, "tx", "pending", 99000, null))
                .then().statusCode(422).body("type", equalTo("https://lunas.dev/problems/unsupported-event-type"));
        PaymentEvents.post(PaymentEvents.settled(UUID.randomUUID(), orderId, "tx", 99000).replace("\"eventId\"", "\"id\""))
                .then().statusCode(400).contentType("application/problem+json");
        PaymentEvents.post("{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"PaymentSettled\",\"payload\":\"settled\"}")
                .then().statusCode(400).contentType("application/problem+json");
        PaymentEvents.post(PaymentEvents.settled(UUID.randomUUID(), orderId, "tx", 99000)
                        .replace("\"aggregateId\":\"" + orderId, "\"aggregateId\":\"" + UUID.randomUUID()))
                .then().statusCode(400).body("type", equalTo("https://lunas.dev/problems/invalid-event"));
        PaymentEvents.post("").then().statusCode(400).contentType("application/problem+json");
        PaymentEvents.post("{not json").then().statusCode(400).contentType("application/problem+json");

        assertThat(Db.tableCounts()).isEqualTo(before);
    }

    @Test
    void theInternalEndpointsNeedTheServiceToken() {
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        String settled = PaymentEvents.settled(UUID.randomUUID(), orderId, "tx-" + orderId, 99000);

        given().contentType("application/json").body(settled).post("/internal/payment-events")
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").header("Authorization", "Bearer wrong").body(settled)
                .post("/internal/payment-events").then().statusCode(403);
        given().queryParam("email", "budi@example.com").get("/api/entitlements").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").queryParam("email", "budi@example.com").get("/api/entitlements")
                .then().statusCode(403);

        assertThat(Db.orderStatus(orderId)).isEqualTo("PENDING_PAYMENT");
    }

    @Test
    void entitlementsAreLookedUpByAValidEmail() {
        given().header("Authorization", "Bearer " + PaymentEvents.ENTITLEMENTS_TOKEN).get("/api/entitlements")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + PaymentEvents.ENTITLEMENTS_TOKEN).queryParam("email", "not-an-email")
                .get("/api/entitlements").then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + PaymentEvents.ENTITLEMENTS_TOKEN).queryParam("email", Checkouts.email())
                .get("/api/entitlements").then().statusCode(200).body("size()", equalTo(0));
    }

    private UUID paidOrder(String packageId, String email) {
        UUID orderId = Checkouts.create(packageId, email == null ? Checkouts.email() : email, null);
        Response order = given().get("/api/orders/" + orderId);
        PaymentEvents.expect(PaymentEvents.settled(UUID.randomUUID(), orderId, "tx-" + orderId,
                order.jsonPath().getLong("amount")), "APPLIED");
        return orderId;
    }
}
