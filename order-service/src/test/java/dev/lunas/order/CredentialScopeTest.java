package dev.lunas.order;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.event.PaymentResult;
import dev.lunas.common.event.PaymentResultSignature;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.PaymentEvents;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, defect 2: each caller has its own credential, and a payment result is something only
 * payment-service can author. A fabricated PaymentSettled posted with every credential but the relay's, or
 * with the relay's but a forged or unsigned result, leaves the order unpaid.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class CredentialScopeTest {

    /** Every credential that exists in the test profile except the relay's, and the old shared token. */
    private static final List<String> OTHER_TOKENS = List.of(PaymentEvents.ENTITLEMENTS_TOKEN, "test-payments-token",
            "dev-admin-token", "dev-service-token", "test-result-signing-key");

    @InjectPaymentService
    WireMockServer paymentService;

    @BeforeEach
    void paymentServiceIssuesTokens() {
        paymentService.resetAll();
        PaymentServiceStub.issueTokens(paymentService);
    }

    @Test
    void defect2_aSettlementWithAnyCredentialButTheRelaysIsRefused() {
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE, Checkouts.email(), null);
        String settled = PaymentEvents.settled(UUID.randomUUID(), orderId, "tx-" + orderId, 99000);

        for (String token : OTHER_TOKENS) {
            given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token).body(settled)
                    .post("/internal/payment-events")
                    .then().statusCode(403).contentType("application/problem+json");
        }

        assertUnpaid(orderId);
    }

    @Test
    void defect2_aForgedResultWithTheRelaysCredentialIsRefused() {
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE, Checkouts.email(), null);
        Instant now = Instant.now();
        PaymentResult settlement = new PaymentResult(orderId, "tx-forged", "settlement", "accept", "bank_transfer",
                99000, "IDR", null, "WEBHOOK", false, now);
        PaymentResultSignature wrongKey = new PaymentResultSignature("a-key-only-the-attacker-has");

        List<String> forgeries = List.of(
                envelope("PaymentSettled", settlement),
                envelope("PaymentSettled", wrongKey.sign("PaymentSettled", settlement)),
                // a genuine signature for another event type, replayed as a settlement
                envelope("PaymentSettled", PaymentEvents.SIGNATURE.sign("PaymentFailed", settlement)),
                // a genuine signature, then the amount lowered
                envelope("PaymentSettled", withAmount(PaymentEvents.SIGNATURE.sign("PaymentSettled", settlement), 1000)));

        for (String forged : forgeries) {
            PaymentEvents.post(forged).then().statusCode(422).contentType("application/problem+json")
                    .body("type", endsWith("/invalid-signature"));
        }

        assertUnpaid(orderId);
        assertThat(Db.count("select count(*) from orders.processed_event where order_id = ?", orderId)).isZero();
    }

    @Test
    void defect2_eachCredentialOpensOnlyItsOwnPaths() {
        given().header("Authorization", "Bearer " + PaymentEvents.RELAY_TOKEN).queryParam("email", Checkouts.email())
                .get("/api/entitlements").then().statusCode(403);
        given().header("Authorization", "Bearer " + PaymentEvents.ENTITLEMENTS_TOKEN).queryParam("email", Checkouts.email())
                .get("/api/entitlements").then().statusCode(200).body("size()", equalTo(0));
        for (String token : List.of(PaymentEvents.RELAY_TOKEN, PaymentEvents.ENTITLEMENTS_TOKEN, "dev-admin-token")) {
            given().header("Authorization", "Bearer " + token).get("/internal/anything-else")
                    .then().statusCode(403).contentType("application/problem+json");
        }
    }

    private static void assertUnpaid(UUID orderId) {
        assertThat(Db.orderStatus(orderId)).isEqualTo("PENDING_PAYMENT");
        assertThat(Db.count("select count(*) from orders.entitlement where order_id = ?", orderId)).isZero();
        assertThat(Db.outbox(orderId, "OrderPaid")).isZero();
    }

    private static PaymentResult withAmount(PaymentResult signed, long amount) {
        return new PaymentResult(signed.orderId(), signed.transactionId(), signed.transactionStatus(), signed.fraudStatus(),
                signed.paymentType(), amount, signed.currency(), signed.refundAmount(), signed.source(), signed.late(),
                signed.occurredAt(), signed.signature());
    }

    private static String envelope(String eventType, PaymentResult result) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"" + eventType + "\",\"aggregateType\":\"payment\","
                + "\"aggregateId\":\"" + result.orderId() + "\",\"occurredAt\":\"" + result.occurredAt() + "\",\"payload\":{"
                + "\"orderId\":\"" + result.orderId() + "\",\"transactionId\":\"" + result.transactionId() + "\","
                + "\"transactionStatus\":\"" + result.transactionStatus() + "\",\"fraudStatus\":\"" + result.fraudStatus() + "\","
                + "\"paymentType\":\"" + result.paymentType() + "\",\"grossAmount\":" + result.grossAmount()
                + ",\"currency\":\"IDR\",\"refundAmount\":null,\"source\":\"WEBHOOK\",\"late\":false,"
                + "\"occurredAt\":\"" + result.occurredAt() + "\""
                + (result.signature() == null ? "" : ",\"signature\":\"" + result.signature() + "\"") + "}}";
    }
}
