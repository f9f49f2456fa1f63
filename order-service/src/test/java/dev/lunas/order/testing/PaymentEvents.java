package dev.lunas.order.testing;

import static io.restassured.RestAssured.given;

import dev.lunas.common.event.PaymentResult;
import dev.lunas.common.event.PaymentResultSignature;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.UUID;

/** Payment results as notification-service relays them from payment-service (docs/integration.md). */
public final class PaymentEvents {

    /** The relay's credential in the test profile: the only one that opens /internal/payment-events. */
    public static final String RELAY_TOKEN = "test-relay-token";
    /** The course platform's credential in the test profile: reads entitlements and nothing else. */
    public static final String ENTITLEMENTS_TOKEN = "test-entitlements-token";
    /** The key payment-service signs results with in the test profile. */
    public static final PaymentResultSignature SIGNATURE = new PaymentResultSignature("test-result-signing-key");

    private PaymentEvents() {
    }

    public static String envelope(UUID eventId, String eventType, UUID orderId, String transactionId,
                                  String transactionStatus, long grossAmount, Long refundAmount) {
        Instant now = Instant.now();
        String signature = SIGNATURE.sign(eventType, new PaymentResult(orderId, transactionId, transactionStatus, "accept",
                "bank_transfer", grossAmount, "IDR", refundAmount, "WEBHOOK", false, now)).signature();
        return "{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + eventType + "\",\"aggregateType\":\"payment\","
                + "\"aggregateId\":\"" + orderId + "\",\"occurredAt\":\"" + now + "\",\"payload\":{"
                + "\"orderId\":\"" + orderId + "\",\"transactionId\":\"" + transactionId + "\","
                + "\"transactionStatus\":\"" + transactionStatus + "\",\"fraudStatus\":\"accept\","
                + "\"paymentType\":\"bank_transfer\",\"grossAmount\":" + grossAmount + ",\"currency\":\"IDR\","
                + "\"refundAmount\":" + refundAmount + ",\"source\":\"WEBHOOK\",\"late\":false,"
                + "\"occurredAt\":\"" + now + "\",\"signature\":\"" + signature + "\"}}";
    }

    public static String settled(UUID eventId, UUID orderId, String transactionId, long amount) {
        return envelope(eventId, "PaymentSettled", orderId, transactionId, "settlement", amount, null);
    }

    public static Response post(String body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + RELAY_TOKEN).body(body)
                .when().post("/internal/payment-events");
    }

    /** Posts and expects 200 with the given outcome. */
    public static void expect(String body, String outcome) {
        Response response = post(body);
        if (response.statusCode() != 200 || !outcome.equals(response.jsonPath().getString("outcome"))) {
            throw new AssertionError("expected 200 " + outcome + ", got " + response.statusCode() + " " + response.asString());
        }
    }
}
