package dev.lunas.order;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.client.PaymentServiceClient;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.PaymentEvents;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checkout and "pay again" when payment-service is down, slow or refuses (timeouts, breaker, degraded answers). */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class PaymentServiceOutageTest {

    @InjectPaymentService
    WireMockServer paymentService;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void freshBreaker() {
        breakers.resetAll();
        paymentService.resetAll();
    }

    @AfterEach
    void closeBreaker() {
        breakers.resetAll();
    }

    @Test
    void anUnavailablePaymentServiceStillCreatesTheOrderAndARetryWithTheKeyCompletesIt() {
        PaymentServiceStub.answerUnavailable(paymentService, 7);
        String key = Checkouts.key();
        String body = Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email());

        Response degraded = Checkouts.post(key, body);

        degraded.then().statusCode(201)
                .header("Retry-After", "7")
                .header("Idempotent-Replayed", nullValue())
                .body("status", equalTo("CREATED"))
                .body("payment", nullValue())
                .body("paymentRetryAfterSeconds", equalTo(7));
        UUID orderId = UUID.fromString(degraded.jsonPath().getString("orderId"));
        assertThat(Db.orderStatus(orderId)).isEqualTo("CREATED");
        assertThat(Db.row("select recovery_point, locked_until, lease_owner from orders.idempotency_key where idempotency_key = ?", key))
                .containsEntry("recovery_point", "ORDER_CREATED").containsEntry("locked_until", null).containsEntry("lease_owner", null);
        assertThat(Db.outbox(orderId, "OrderCreated")).isEqualTo(1);
        assertThat(Db.outbox(orderId, "PaymentRequested")).isZero();

        paymentService.resetAll();
        PaymentServiceStub.issueTokens(paymentService);
        Response resumed = Checkouts.post(key, body);

        resumed.then().statusCode(201)
                .body("orderId", equalTo(orderId.toString()))
                .body("status", equalTo("PENDING_PAYMENT"))
                .body("payment.token", equalTo("tok-" + orderId))
                .body("paymentRetryAfterSeconds", nullValue());
        assertThat(Db.count("select count(*) from orders.customer_order where customer_email ="
                + " (select customer_email from orders.customer_order where id = ?)", orderId)).isEqualTo(1);
        assertThat(Db.outbox(orderId, "PaymentRequested")).isEqualTo(1);
        assertThat(Db.value("select recovery_point from orders.idempotency_key where idempotency_key = ?", key)).isEqualTo("FINISHED");

        Response replay = Checkouts.post(key, body);
        replay.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(replay.asString()).isEqualTo(resumed.asString());
        assertThat(PaymentServiceStub.calls(paymentService)).isEqualTo(1);
    }

    @Test
    void aHangingPaymentServiceIsCutOffTheBreakerOpensAndPayingAgainLaterWorks() {
        paymentService.stubFor(post(urlEqualTo(PaymentServiceStub.PATH))
                .willReturn(PaymentServiceStub.tokenResponse().withFixedDelay(10_000)));

        UUID firstOrder = null;
        for (int i = 0; i < 4; i++) {
            long started = System.nanoTime();
            Response degraded = Checkouts.post(Checkouts.key(), Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email()));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("cut off by the 3 s timeout, long before the 10 s hang ends")
                    .isLessThan(Duration.ofMillis(6000));
            degraded.then().statusCode(201).header("Retry-After", "15")
                    .body("status", equalTo("CREATED")).body("payment", nullValue());
            if (firstOrder == null) {
                firstOrder = UUID.fromString(degraded.jsonPath().getString("orderId"));
            }
        }
        assertThat(breakers.currentState(PaymentServiceClient.BREAKER)).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(PaymentServiceStub.calls(paymentService)).isEqualTo(4);

        long started = System.nanoTime();
        Checkouts.post(Checkouts.key(), Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email()))
                .then().statusCode(201).body("status", equalTo("CREATED")).header("Retry-After", "15");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("an open breaker fails fast")
                .isLessThan(Duration.ofMillis(1500));
        assertThat(PaymentServiceStub.calls(paymentService)).as("the open breaker kept the call away").isEqualTo(4);

        paymentService.resetMappings();
        PaymentServiceStub.issueTokens(paymentService);
        UUID orderId = firstOrder;
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                given().post("/api/orders/" + orderId + "/pay").then().statusCode(200)
                        .body("status", equalTo("PENDING_PAYMENT"))
                        .body("payment.token", equalTo("tok-" + orderId)));
        assertThat(breakers.currentState(PaymentServiceClient.BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(Db.orderStatus(orderId)).isEqualTo("PENDING_PAYMENT");
        assertThat(Db.outbox(orderId, "PaymentRequested")).isEqualTo(1);
    }

    @Test
    void payingAgainWhilePendingReturnsTheSameTokenAndRequestsPaymentOnce() {
        PaymentServiceStub.issueTokens(paymentService);
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);

        for (int i = 0; i < 2; i++) {
            given().post("/api/orders/" + orderId + "/pay").then().statusCode(200)
                    .body("status", equalTo("PENDING_PAYMENT"))
                    .body("payment.token", equalTo("tok-" + orderId))
                    .header("Retry-After", nullValue());
        }

        assertThat(Db.outbox(orderId, "PaymentRequested")).isEqualTo(1);
        assertThat(PaymentServiceStub.calls(paymentService)).isEqualTo(3);
    }

    @Test
    void payingAgainWhilePaymentServiceIsDownGivesTheDegradedAnswer() {
        PaymentServiceStub.answerUnavailable(paymentService, 9);
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);

        given().post("/api/orders/" + orderId + "/pay").then().statusCode(200)
                .header("Retry-After", "9")
                .body("status", equalTo("CREATED"))
                .body("payment", nullValue())
                .body("paymentRetryAfterSeconds", equalTo(9));
    }

    @Test
    void defect5_doubleClickedPayEndsWithAPaymentLinkOnReplay() {
        // The other click is creating this Snap transaction right now: payment-service says so once, then has the token.
        paymentService.stubFor(post(urlEqualTo(PaymentServiceStub.PATH)).inScenario("double-click")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("created")
                .willReturn(problem(409, "payment-in-progress").withHeader("Retry-After", "1")));
        paymentService.stubFor(post(urlEqualTo(PaymentServiceStub.PATH)).inScenario("double-click")
                .whenScenarioStateIs("created").willReturn(PaymentServiceStub.tokenResponse()));
        PaymentServiceStub.reportPayments(paymentService, Map.of());
        String key = Checkouts.key();
        String body = Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email());

        Response retrySoon = Checkouts.post(key, body);

        retrySoon.then().statusCode(201)
                .header("Retry-After", "1")
                .body("status", equalTo("CREATED"))
                .body("payment", nullValue())
                .body("paymentRetryAfterSeconds", equalTo(1));
        UUID orderId = UUID.fromString(retrySoon.jsonPath().getString("orderId"));
        assertThat(Db.value("select recovery_point from orders.idempotency_key where idempotency_key = ?", key))
                .as("the key is not finished without a payment link").isEqualTo("ORDER_CREATED");

        Response resumed = Checkouts.post(key, body);
        resumed.then().statusCode(201)
                .body("status", equalTo("PENDING_PAYMENT"))
                .body("payment.token", equalTo("tok-" + orderId));

        Response replay = Checkouts.post(key, body);
        replay.then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("payment.token", equalTo("tok-" + orderId));
        assertThat(replay.asString()).isEqualTo(resumed.asString());
        assertThat(breakers.currentState(PaymentServiceClient.BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void defect5_payAgainWhileThePaymentIsBeingCreatedSaysRetrySoon() {
        PaymentServiceStub.issueTokens(paymentService);
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        paymentService.resetMappings();
        paymentService.stubFor(post(urlEqualTo(PaymentServiceStub.PATH))
                .willReturn(problem(409, "payment-in-progress").withHeader("Retry-After", "2")));

        given().post("/api/orders/" + orderId + "/pay").then().statusCode(200)
                .header("Retry-After", "2")
                .body("status", equalTo("PENDING_PAYMENT"))
                .body("paymentRetryAfterSeconds", equalTo(2));
    }

    @Test
    void defect5_fivePermanentRefusalsDoNotOpenTheBreaker() {
        paymentService.stubFor(post(urlEqualTo(PaymentServiceStub.PATH)).willReturn(problem(422, "payment-rejected")));

        for (int i = 0; i < 5; i++) {
            String key = Checkouts.key();
            String body = Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email());
            Checkouts.post(key, body).then().statusCode(422).contentType("application/problem+json")
                    .body("type", equalTo("https://lunas.dev/problems/payment-rejected"));
            // the refusal is the key's final answer: a retry is told the same, and payment-service is not asked again
            int asked = PaymentServiceStub.calls(paymentService);
            Checkouts.post(key, body).then().statusCode(422).header("Idempotent-Replayed", "true");
            assertThat(PaymentServiceStub.calls(paymentService)).isEqualTo(asked);
        }
        assertThat(breakers.currentState(PaymentServiceClient.BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);

        paymentService.resetMappings();
        PaymentServiceStub.issueTokens(paymentService);
        Response good = Checkouts.post(Checkouts.key(), Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email()));
        good.then().statusCode(201)
                .body("status", equalTo("PENDING_PAYMENT"))
                .body("payment.token", equalTo("tok-" + good.jsonPath().getString("orderId")));
    }

    @Test
    void defect5_refusalsAre422OnPayAgainAndUnexpectedAnswersDoNotOpenTheBreaker() {
        PaymentServiceStub.issueTokens(paymentService);
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        paymentService.resetMappings();

        for (String refusal : new String[] {"payment-rejected", "payment-conflict"}) {
            for (int status : new int[] {409, 422}) {
                paymentService.stubFor(post(urlEqualTo(PaymentServiceStub.PATH)).willReturn(problem(status, refusal)));
                given().post("/api/orders/" + orderId + "/pay").then().statusCode(422)
                        .contentType("application/problem+json")
                        .body("type", equalTo("https://lunas.dev/problems/" + refusal));
            }
        }
        paymentService.stubFor(post(urlEqualTo(PaymentServiceStub.PATH)).willReturn(problem(422, "payment-closed")));
        given().post("/api/orders/" + orderId + "/pay").then().statusCode(409)
                .body("type", equalTo("https://lunas.dev/problems/payment-closed"));
        for (int status : new int[] {400, 401, 404, 409, 422}) {
            paymentService.stubFor(post(urlEqualTo(PaymentServiceStub.PATH)).willReturn(problem(status, "something-new")));
            given().post("/api/orders/" + orderId + "/pay").then().statusCode(200)
                    .header("Retry-After", "15")
                    .body("status", equalTo("PENDING_PAYMENT"));
        }
        assertThat(breakers.currentState(PaymentServiceClient.BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(Db.orderStatus(orderId)).isEqualTo("PENDING_PAYMENT");
    }

    @Test
    void aClosedPaymentIsRefusedWithoutOpeningTheBreaker() {
        PaymentServiceStub.issueTokens(paymentService);
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        paymentService.resetMappings();
        paymentService.stubFor(post(urlEqualTo(PaymentServiceStub.PATH)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"https://lunas.dev/problems/payment-closed\",\"status\":409}")));

        for (int i = 0; i < 6; i++) {
            given().post("/api/orders/" + orderId + "/pay").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://lunas.dev/problems/payment-closed"));
        }

        assertThat(breakers.currentState(PaymentServiceClient.BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(Db.orderStatus(orderId)).isEqualTo("PENDING_PAYMENT");
    }

    private static ResponseDefinitionBuilder problem(int status, String slug) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"https://lunas.dev/problems/" + slug + "\",\"title\":\"Refused\",\"status\":" + status + "}");
    }

    @Test
    void anOrderThatCanNoLongerBePaidIsRefusedWithoutAskingPaymentService() {
        PaymentServiceStub.issueTokens(paymentService);
        UUID paid = Checkouts.create(Checkouts.SEED_PACKAGE);
        PaymentEvents.expect(PaymentEvents.settled(UUID.randomUUID(), paid, "tx-" + paid, 99000), "APPLIED");
        UUID overdue = Checkouts.create(Checkouts.SEED_PACKAGE);
        Db.shiftOrder(overdue, "25 hours", "-1 hour");
        int calls = PaymentServiceStub.calls(paymentService);

        for (UUID orderId : new UUID[] {paid, overdue}) {
            given().post("/api/orders/" + orderId + "/pay").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://lunas.dev/problems/order-closed"));
        }

        assertThat(PaymentServiceStub.calls(paymentService)).isEqualTo(calls);
    }

    @Test
    void aResumedCheckoutOfAnOrderThatHasEndedAnswersWithTheOrderAsItIs() {
        PaymentServiceStub.answerUnavailable(paymentService, 3);
        String key = Checkouts.key();
        String body = Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email());
        UUID orderId = UUID.fromString(Checkouts.post(key, body).jsonPath().getString("orderId"));
        PaymentEvents.expect(PaymentEvents.envelope(UUID.randomUUID(), "PaymentExpired", orderId, "tx-" + orderId, "expire",
                99000, null), "APPLIED");
        int calls = PaymentServiceStub.calls(paymentService);

        Checkouts.post(key, body).then().statusCode(201)
                .body("orderId", equalTo(orderId.toString()))
                .body("status", equalTo("EXPIRED"))
                .body("payment", nullValue());

        assertThat(PaymentServiceStub.calls(paymentService)).isEqualTo(calls);
        Map<String, Object> stored = Db.row("select recovery_point, response_status from orders.idempotency_key where idempotency_key = ?", key);
        assertThat(stored).containsEntry("recovery_point", "FINISHED").containsEntry("response_status", 201);
    }

    @Test
    void aRequestWhoseKeyIsStillLeasedIsToldToRetry() {
        PaymentServiceStub.answerUnavailable(paymentService, 3);
        String key = Checkouts.key();
        String body = Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email());
        Checkouts.post(key, body).then().statusCode(201);
        Db.execute("update orders.idempotency_key set lease_owner = gen_random_uuid(), locked_until = now() + interval '1 minute'"
                + " where idempotency_key = ?", key);

        Checkouts.post(key, body).then().statusCode(409).header("Retry-After", "1")
                .body("type", equalTo("https://lunas.dev/problems/idempotency-key-in-use"));
    }
}
