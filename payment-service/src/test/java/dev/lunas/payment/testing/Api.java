package dev.lunas.payment.testing;

import static io.restassured.RestAssured.given;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** payment-service's HTTP API as its callers use it. */
public final class Api {

    /** common's defaults outside prod. */
    public static final String SERVICE_TOKEN = "test-payments-token";
    public static final String ADMIN_TOKEN = "dev-admin-token";
    public static final long AMOUNT = 99_000;

    private Api() {
    }

    public static String paymentRequest(UUID orderId, long amount, Instant expiresAt) {
        return """
                {"orderId": "%s", "amount": %d, "currency": "IDR", "expiresAt": "%s",
                 "item": {"id": "ai-movie-course", "name": "Buat Film Pakai AI"},
                 "customer": {"name": "Budi Santoso", "email": "budi@example.com", "phone": "+6281234567890"}}
                """.formatted(orderId, amount, expiresAt);
    }

    public static Instant inOneHour() {
        return Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    }

    public static Response requestPayment(String body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + SERVICE_TOKEN)
                .body(body).post("/internal/payments");
    }

    public static Response requestPayment(UUID orderId) {
        return requestPayment(paymentRequest(orderId, AMOUNT, inOneHour()));
    }

    public static Response deliver(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/webhooks/midtrans");
    }

    public static Response reconcile(UUID orderId) {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN).post("/admin/payments/" + orderId + "/reconcile");
    }

    /** A fresh order with a pending attempt and a Snap token, made through the real API. */
    public static UUID pendingPayment(WireMockServer midtrans) {
        UUID orderId = UUID.randomUUID();
        Midtrans.stubSnap(midtrans, orderId);
        requestPayment(orderId).then().statusCode(200);
        return orderId;
    }

    public static Response paymentStatuses(String body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + SERVICE_TOKEN)
                .body(body).post("/internal/payments/statuses");
    }

    public static String status(UUID orderId) {
        return (String) Db.single("select status from payments.payment_attempt where order_id = ?", orderId);
    }

    /** Payloads (JSON text) of an order's OpsAlert events, oldest first. */
    public static java.util.List<String> alerts(UUID orderId) {
        return Db.rows("select payload::text as p from payments.outbox where aggregate_id = ? and event_type = 'OpsAlert' order by id",
                orderId.toString()).stream().map(row -> (String) row.get("p")).toList();
    }

    /** Outbox event types of an order, oldest first. */
    public static java.util.List<String> events(UUID orderId) {
        return Db.rows("select event_type from payments.outbox where aggregate_id = ? order by id", orderId.toString())
                .stream().map(row -> (String) row.get("event_type")).toList();
    }
}
