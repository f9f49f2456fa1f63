package dev.lunas.order;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.job.OrderExpiryJob;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Concurrently;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.Http;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.OnVertx;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class QuotaTest {

    @InjectPaymentService
    WireMockServer paymentService;

    @Inject
    CircuitBreakerMaintenance breakers;

    @TestHTTPResource("/")
    URI base;

    @Inject
    OrderExpiryJob expiry;

    @BeforeEach
    void paymentServiceIssuesTokens() {
        breakers.resetAll();
        paymentService.resetAll();
        PaymentServiceStub.issueTokens(paymentService);
    }

    @Test
    void defect6_aLapsedHoldOfALimitedPlaceExpiresTheOrderWithItsReasonAndOffersThePlaceAgain() throws Exception {
        String packageId = Db.createPackage("kelas-satu", 150_000, 1);
        Response a = Checkouts.post(Checkouts.key(), Checkouts.body(packageId, Checkouts.email()));
        a.then().statusCode(201).body("status", equalTo("PENDING_PAYMENT")).body("closedReason", nullValue());
        UUID orderA = UUID.fromString(a.jsonPath().getString("orderId"));
        Instant createdAt = Instant.parse(a.jsonPath().getString("createdAt"));
        Instant heldUntil = Instant.parse(a.jsonPath().getString("placeHeldUntil"));
        assertThat(heldUntil).as("held for the 30 minute limited hold, not the 24 h payment window")
                .isEqualTo(createdAt.plus(Duration.ofMinutes(30)))
                .isEqualTo(Instant.parse(a.jsonPath().getString("expiresAt")));
        LoggedRequest tokenRequest = paymentService.findAll(postRequestedFor(urlEqualTo(PaymentServiceStub.PATH))).get(0);
        assertThat(Instant.parse(JsonPath.from(tokenRequest.getBodyAsString()).getString("expiresAt")))
                .as("the Snap transaction expires with the hold").isEqualTo(heldUntil);
        given().get("/api/orders/" + orderA).then().statusCode(200)
                .body("placeHeldUntil", equalTo(a.jsonPath().getString("placeHeldUntil")));

        String emailB = Checkouts.email();
        Checkouts.post(Checkouts.key(), Checkouts.body(packageId, emailB)).then().statusCode(409)
                .body("type", equalTo("https://lunas.dev/problems/sold-out"));

        // the hold lapses, and the short hold grace (2 min, not the 10 min of the payment window) passes
        Db.execute("update orders.customer_order set expires_at = now() - interval '3 minutes',"
                + " place_held_until = now() - interval '3 minutes' where id = ?", orderA);
        OnVertx.await(expiry::expireDue);

        given().get("/api/orders/" + orderA).then().statusCode(200)
                .body("status", equalTo("EXPIRED"))
                .body("closedReason", equalTo("HOLD_LAPSED"))
                .body("payment", nullValue());
        assertThat(Db.outbox(orderA, "OrderExpired")).isEqualTo(1);
        assertThat(Db.reserved(packageId)).isZero();
        Checkouts.post(Checkouts.key(), Checkouts.body(packageId, emailB)).then().statusCode(201)
                .body("status", equalTo("PENDING_PAYMENT"));
        assertThat(Db.reserved(packageId)).isEqualTo(1);
    }

    @Test
    void defect6_anUnlimitedPackageKeepsTheWholePaymentWindowAndTheApiDocumentsTheHold() {
        Response order = Checkouts.post(Checkouts.key(), Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email()));

        order.then().statusCode(201).body("placeHeldUntil", nullValue());
        assertThat(Instant.parse(order.jsonPath().getString("expiresAt")))
                .isEqualTo(Instant.parse(order.jsonPath().getString("createdAt")).plus(Duration.ofHours(24)));
        JsonPath openapi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(openapi.getMap("components.schemas.Order.properties")).containsKeys("placeHeldUntil", "closedReason");
        assertThat(openapi.prettify()).contains("HOLD_LAPSED");
    }

    @Test
    void aQuotaOfTenIsNeverOversoldToAHundredConcurrentBuyers() throws Exception {
        String packageId = Db.createPackage("kelas-kilat", 250_000, 10);
        List<String> keys = IntStream.range(0, 100).mapToObj(i -> Checkouts.key()).toList();
        List<String> bodies = keys.stream().map(key -> Checkouts.body(packageId, Checkouts.email())).toList();

        List<HttpResponse<String>> answers = Concurrently.run(100, i -> () -> Http.checkout(base, keys.get(i), bodies.get(i)));

        assertThat(answers).filteredOn(a -> a.statusCode() == 201).hasSize(10);
        List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() != 201).toList();
        assertThat(refused).hasSize(90).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(409);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(answer.body()).contains("https://lunas.dev/problems/sold-out");
        });
        assertThat(Db.count("select count(*) from orders.customer_order where package_id = ?", packageId)).isEqualTo(10);
        assertThat(Db.reserved(packageId)).isEqualTo(10);

        int soldOut = answers.indexOf(refused.get(0));
        Response replay = Checkouts.post(keys.get(soldOut), bodies.get(soldOut));
        replay.then().statusCode(409).header("Idempotent-Replayed", "true");
        assertThat(replay.asString()).isEqualTo(refused.get(0).body());
        assertThat(Db.count("select count(*) from orders.customer_order where package_id = ?", packageId)).isEqualTo(10);
    }

    @Test
    void aSoldOutPackageIsRefusedAndTheRefusalIsStoredUnderTheKey() {
        String packageId = Db.createPackage("kelas-habis", 50_000, 0);
        String key = Checkouts.key();
        String body = Checkouts.body(packageId, Checkouts.email());

        Response first = Checkouts.post(key, body);

        first.then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/sold-out"))
                .body("instance", equalTo("/api/orders"));
        Map<String, Object> stored = Db.row("select recovery_point, response_status, order_id from orders.idempotency_key"
                + " where idempotency_key = ?", key);
        assertThat(stored).containsEntry("recovery_point", "FINISHED").containsEntry("response_status", 409)
                .containsEntry("order_id", null);
        assertThat(Db.count("select count(*) from orders.customer_order where package_id = ?", packageId)).isZero();
        assertThat(PaymentServiceStub.calls(paymentService)).isZero();
    }
}
