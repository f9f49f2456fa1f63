package dev.lunas.payment.resource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.events;
import static dev.lunas.payment.testing.Api.inOneHour;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.paymentRequest;
import static dev.lunas.payment.testing.Api.requestPayment;
import static dev.lunas.payment.testing.Api.status;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.payment.testing.Db;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.Midtrans;
import dev.lunas.payment.testing.Midtrans.Note;
import dev.lunas.payment.testing.MidtransWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class SnapPaymentTest {

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

    @AfterEach
    void closeBreakers() {
        breakers.resetAll();
    }

    @Test
    void aSnapTransactionIsCreatedAsMidtransSpecifiesAndItsTokenReturned() throws Exception {
        UUID orderId = UUID.randomUUID();
        Instant expiresAt = inOneHour();
        Midtrans.stubSnap(midtrans, orderId);

        requestPayment(paymentRequest(orderId, AMOUNT, expiresAt)).then().statusCode(200)
                .body("orderId", equalTo(orderId.toString()))
                .body("status", equalTo("PENDING"))
                .body("token", equalTo("token-" + orderId))
                .body("redirectUrl", equalTo("https://app.sandbox.midtrans.com/snap/v4/redirection/token-" + orderId))
                .body("expiresAt", equalTo(expiresAt.toString()))
                .body("clientKey", equalTo("SB-Mid-client-test-key"));

        List<LoggedRequest> calls = midtrans.findAll(postRequestedFor(urlEqualTo("/snap/v1/transactions")));
        assertThat(calls).hasSize(1);
        LoggedRequest call = calls.get(0);
        assertThat(call.getHeader("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("SB-Mid-server-test-key:".getBytes(StandardCharsets.UTF_8)));
        assertThat(call.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(call.getBodyAsString());
        assertThat(body.at("/transaction_details/order_id").asText()).isEqualTo(orderId.toString());
        assertThat(body.at("/transaction_details/gross_amount").isIntegralNumber()).isTrue();
        assertThat(body.at("/transaction_details/gross_amount").asLong()).isEqualTo(AMOUNT);
        assertThat(body.at("/item_details").size()).isEqualTo(1);
        assertThat(body.at("/item_details/0/id").asText()).isEqualTo("ai-movie-course");
        assertThat(body.at("/item_details/0/price").asLong()).isEqualTo(AMOUNT);
        assertThat(body.at("/item_details/0/quantity").asInt()).isEqualTo(1);
        assertThat(body.at("/item_details/0/name").asText()).isEqualTo("Buat Film Pakai AI");
        assertThat(body.at("/customer_details/first_name").asText()).isEqualTo("Budi Santoso");
        assertThat(body.at("/customer_details/email").asText()).isEqualTo("budi@example.com");
        assertThat(body.at("/customer_details/phone").asText()).isEqualTo("+6281234567890");
        assertThat(body.at("/expiry/start_time").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\+0700");
        assertThat(body.at("/expiry/unit").asText()).isEqualTo("minutes");
        assertThat(body.at("/expiry/duration").asLong()).isBetween(58L, 60L);
        assertThat(body.at("/callbacks/finish").asText()).isEqualTo("https://shop.test/payment/finish");

        Map<String, Object> attempt = Db.row("select status, recovery_point, snap_token, amount, currency, snap_lease_until"
                + " from payments.payment_attempt where order_id = ?", orderId);
        assertThat(attempt).containsEntry("status", "PENDING").containsEntry("recovery_point", "TOKEN_CREATED")
                .containsEntry("snap_token", "token-" + orderId).containsEntry("amount", AMOUNT).containsEntry("currency", "IDR");
        assertThat(attempt.get("snap_lease_until")).isNull();
        assertThat(Db.rows("select action from payments.payment_audit where order_id = ? order by id", orderId))
                .extracting(row -> row.get("action")).containsExactly("ATTEMPT_CREATED", "TOKEN_ISSUED");
    }

    @Test
    void askingAgainWhilePendingReturnsTheSameTokenWithoutASecondSnapTransaction() {
        UUID orderId = UUID.randomUUID();
        Midtrans.stubSnap(midtrans, orderId);

        String first = requestPayment(orderId).then().statusCode(200).extract().path("token");
        String second = requestPayment(orderId).then().statusCode(200).extract().path("token");

        assertThat(second).isEqualTo(first);
        assertThat(Midtrans.snapCalls(midtrans, orderId)).isEqualTo(1);
    }

    @Test
    void concurrentFirstRequestsCreateOneSnapTransaction() throws Exception {
        UUID orderId = UUID.randomUUID();
        midtrans.stubFor(Midtrans.snapFor(orderId).willReturn(Midtrans.snapCreated("token-" + orderId).withFixedDelay(300)));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Response> answers = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return requestPayment(orderId);
                }));
            }
            start.countDown();
            for (Future<Response> future : futures) {
                answers.add(future.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(Midtrans.snapCalls(midtrans, orderId)).isEqualTo(1);
        assertThat(answers).allSatisfy(answer -> {
            if (answer.statusCode() == 200) {
                assertThat(answer.jsonPath().getString("token")).isEqualTo("token-" + orderId);
            } else {
                assertThat(answer.statusCode()).isEqualTo(409);
                assertThat(answer.jsonPath().getString("type")).endsWith("/payment-in-progress");
                assertThat(answer.header("Retry-After")).isEqualTo("1");
            }
        });
        assertThat(answers).anyMatch(answer -> answer.statusCode() == 200);
        requestPayment(orderId).then().statusCode(200).body("token", equalTo("token-" + orderId));
        assertThat(Midtrans.snapCalls(midtrans, orderId)).isEqualTo(1);
    }

    @Test
    void defectB_anotherAmountForTheSameOrderIsAPermanent422Conflict() {
        UUID orderId = UUID.randomUUID();
        Midtrans.stubSnap(midtrans, orderId);
        requestPayment(orderId).then().statusCode(200);

        requestPayment(paymentRequest(orderId, AMOUNT + 1, inOneHour())).then().statusCode(422)
                .contentType("application/problem+json").body("type", equalTo("https://lunas.dev/problems/payment-conflict"));
        assertThat(Midtrans.snapCalls(midtrans, orderId)).isEqualTo(1);
    }

    @Test
    void defectB_aClosedPaymentGetsNoNewTokenWithAPermanent422() {
        UUID orderId = UUID.randomUUID();
        Midtrans.stubSnap(midtrans, orderId);
        requestPayment(orderId).then().statusCode(200);
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200);

        requestPayment(orderId).then().statusCode(422).body("type", equalTo("https://lunas.dev/problems/payment-closed"));
        assertThat(Midtrans.snapCalls(midtrans, orderId)).isEqualTo(1);
    }

    @Test
    void invalidRequestsAreRefusedWithoutWritingAnything() {
        UUID orderId = UUID.randomUUID();
        Instant later = inOneHour();
        String valid = paymentRequest(orderId, AMOUNT, later);
        List<String> invalid = List.of(
                "",
                "{}",
                "not json",
                valid.replace("\"orderId\": \"" + orderId + "\"", "\"orderId\": \"not-a-uuid\""),
                paymentRequest(orderId, 0, later),
                paymentRequest(orderId, -5, later),
                paymentRequest(orderId, AMOUNT, Instant.now().minusSeconds(60)),
                valid.replace("\"IDR\"", "\"USD\""),
                valid.replace("budi@example.com", "not-an-email"),
                valid.replace("+6281234567890", "call me"),
                valid.replace("\"Budi Santoso\"", "\"\""),
                valid.replace("\"ai-movie-course\"", "\"" + "x".repeat(51) + "\""),
                valid.replace("\"amount\": 99000", "\"amount\": \"lots\""));
        for (String body : invalid) {
            requestPayment(body).then().statusCode(400).contentType("application/problem+json");
        }
        // an order that expires within a minute cannot start a payment
        requestPayment(paymentRequest(orderId, AMOUNT, Instant.now().plusSeconds(30))).then().statusCode(422)
                .body("type", equalTo("https://lunas.dev/problems/payment-closed"));

        assertThat(Db.writtenRows()).isZero();
        assertThat(midtrans.getAllServeEvents()).isEmpty();
    }

    @Test
    void theInternalApiNeedsTheServiceToken() {
        UUID orderId = UUID.randomUUID();
        String body = paymentRequest(orderId, AMOUNT, inOneHour());
        given().contentType(ContentType.JSON).body(body).post("/internal/payments").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer wrong").body(body).post("/internal/payments")
                .then().statusCode(403);
        assertThat(Db.writtenRows()).isZero();
    }

    @Test
    void orderIdAlreadyUsedIsResolvedThroughGetStatus() {
        UUID orderId = UUID.randomUUID();
        midtrans.stubFor(Midtrans.snapFor(orderId).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error_messages\":[\"transaction_details.order_id sudah digunakan\"]}")));
        Midtrans.stubStatus(midtrans, orderId, Note.of(orderId).status("pending", "201").amount("99000.00").fraud("accept"));

        requestPayment(orderId).then().statusCode(409).body("type", equalTo("https://lunas.dev/problems/payment-in-progress"));
        assertThat(Db.single("select recovery_point from payments.payment_attempt where order_id = ?", orderId))
                .isEqualTo("PROVIDER_TRANSACTION");
        assertThat(Db.single("select source from payments.payment_event where order_id = ?", orderId.toString()))
                .isEqualTo("RECONCILIATION");

        // asking again does not call Snap again: Midtrans holds the transaction; its result arrives by notification
        requestPayment(orderId).then().statusCode(409).body("type", equalTo("https://lunas.dev/problems/payment-in-progress"));
        assertThat(Midtrans.snapCalls(midtrans, orderId)).isEqualTo(1);
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("APPLIED"));
        assertThat(status(orderId)).isEqualTo("SETTLED");
    }

    @Test
    void orderIdAlreadyTakenForAPaidOrderSettlesItFromGetStatus() {
        UUID orderId = UUID.randomUUID();
        midtrans.stubFor(Midtrans.snapFor(orderId).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error_messages\":[\"transaction_details.order_id has already been taken\"]}")));
        Midtrans.stubStatus(midtrans, orderId, Note.settlement(orderId, AMOUNT));

        requestPayment(orderId).then().statusCode(422).body("type", equalTo("https://lunas.dev/problems/payment-closed"));

        assertThat(status(orderId)).isEqualTo("SETTLED");
        assertThat(events(orderId)).containsExactly("PaymentSettled");
    }

    @Test
    void aRequestMidtransRefusesIsA422AndCanBeRetried() {
        UUID orderId = UUID.randomUUID();
        midtrans.stubFor(Midtrans.snapFor(orderId).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error_messages\":[\"customer_details.email format is invalid\"]}")));

        requestPayment(orderId).then().statusCode(422).body("type", equalTo("https://lunas.dev/problems/payment-rejected"));
        requestPayment(orderId).then().statusCode(422);

        assertThat(Midtrans.snapCalls(midtrans, orderId)).isEqualTo(2);
        assertThat(breakers.currentState("midtrans-snap")).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void midtransFailingOpensTheBreakerAndThePaymentStaysPayable() {
        midtrans.stubFor(post(urlEqualTo("/snap/v1/transactions")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error_messages\":[\"Sorry, we encountered internal server error. We will fix this soon.\"]}")));
        List<UUID> orders = outage();

        // Midtrans recovers: after the breaker lets calls through again, paying again works
        breakers.resetAll();
        UUID first = orders.get(0);
        Midtrans.stubSnap(midtrans, first);
        requestPayment(first).then().statusCode(200).body("token", equalTo("token-" + first));
    }

    @Test
    void midtransHangingTimesOutOpensTheBreakerAndLeavesTheOutcomeUnknown() {
        midtrans.stubFor(post(urlEqualTo("/snap/v1/transactions")).willReturn(Midtrans.snapCreated("late").withFixedDelay(5_000)));
        List<UUID> orders = outage();

        Map<String, Object> attempt = Db.row("select status, recovery_point, snap_token, last_snap_error, snap_lease_until"
                + " from payments.payment_attempt where order_id = ?", orders.get(0));
        assertThat(attempt).containsEntry("status", "PENDING").containsEntry("recovery_point", "STARTED");
        assertThat(attempt.get("snap_token")).isNull();
        assertThat(attempt.get("snap_lease_until")).isNull();
        assertThat((String) attempt.get("last_snap_error")).isNotBlank();
    }

    /**
     * Sends requests for new orders until the breaker opens; checks that every answer is a 503 with
     * Retry-After, that no order saw more Snap calls than the one allowed retry, and that once the
     * breaker is open the answer comes fast and Midtrans is no longer called.
     */
    private List<UUID> outage() {
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 6 && breakers.currentState("midtrans-snap") != CircuitBreakerState.OPEN; i++) {
            UUID orderId = UUID.randomUUID();
            orders.add(orderId);
            expectUnavailable(requestPayment(orderId));
        }
        assertThat(breakers.currentState("midtrans-snap")).isEqualTo(CircuitBreakerState.OPEN);
        for (UUID orderId : orders) {
            assertThat(Midtrans.snapCalls(midtrans, orderId)).isBetween(1, 2);
        }

        int callsBefore = midtrans.findAll(postRequestedFor(urlEqualTo("/snap/v1/transactions"))).size();
        UUID whileOpen = UUID.randomUUID();
        long started = System.nanoTime();
        Response answer = requestPayment(whileOpen);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        expectUnavailable(answer);
        // a call that reached Midtrans would take at least two read timeouts (2 x 1 s in %test)
        assertThat(took).isLessThan(Duration.ofMillis(1000));
        assertThat(midtrans.findAll(postRequestedFor(urlEqualTo("/snap/v1/transactions")))).hasSize(callsBefore);
        assertThat(Db.single("select status from payments.payment_attempt where order_id = ?", whileOpen)).isEqualTo("PENDING");
        return orders;
    }

    private static void expectUnavailable(Response answer) {
        answer.then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/payment-provider-unavailable"))
                .header("Retry-After", "10");
    }
}
