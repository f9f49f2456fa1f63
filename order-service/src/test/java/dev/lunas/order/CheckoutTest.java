package dev.lunas.order;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Concurrently;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.Http;
import dev.lunas.order.testing.InjectPaymentService;
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

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class CheckoutTest {

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
    void checkoutCreatesAnOrderAwaitingPaymentWithItsSnapToken() {
        String email = Checkouts.email();
        Response response = Checkouts.post(Checkouts.key(), Checkouts.body(Checkouts.SEED_PACKAGE, email, "+62 812-3456-7890", null));

        response.then().statusCode(201)
                .contentType("application/json")
                .header("Location", endsWith("/api/orders/" + response.jsonPath().getString("orderId")))
                .header("Idempotent-Replayed", nullValue())
                .body("status", equalTo("PENDING_PAYMENT"))
                .body("packageId", equalTo(Checkouts.SEED_PACKAGE))
                .body("packageName", equalTo("Buat Film Pakai AI"))
                .body("price", equalTo(99000))
                .body("discountAmount", equalTo(0))
                .body("amount", equalTo(99000))
                .body("currency", equalTo("IDR"))
                .body("expiresAt", notNullValue())
                .body("paidAt", nullValue())
                .body("payment.token", equalTo("tok-" + response.jsonPath().getString("orderId")))
                .body("payment.redirectUrl", notNullValue());
        assertThat(response.asString()).doesNotContain(email).doesNotContain("6281234567890").doesNotContain("Budi");

        UUID orderId = UUID.fromString(response.jsonPath().getString("orderId"));
        assertThat(orderId.version()).isEqualTo(7);
        Map<String, Object> order = Db.row("select status, amount, customer_email, customer_phone, payment_token"
                + " from orders.customer_order where id = ?", orderId);
        assertThat(order).containsEntry("status", "PENDING_PAYMENT").containsEntry("amount", 99000L)
                .containsEntry("customer_email", email).containsEntry("customer_phone", "+6281234567890")
                .containsEntry("payment_token", "tok-" + orderId);
        assertThat(Db.outbox(orderId, "OrderCreated")).isEqualTo(1);
        assertThat(Db.outbox(orderId, "PaymentRequested")).isEqualTo(1);
        Map<String, Object> instructions = Db.row("select jsonb_typeof(payload) as type, payload->>'paymentUrl' as url,"
                + " payload->'customer'->>'phone' as phone, (payload->>'amount')::bigint as amount from orders.outbox"
                + " where aggregate_id = ? and event_type = 'PaymentRequested'", orderId.toString());
        assertThat(instructions).containsEntry("type", "object")
                .containsEntry("url", "https://app.sandbox.midtrans.com/snap/v4/redirection/tok-" + orderId)
                .containsEntry("phone", "+6281234567890").containsEntry("amount", 99000L);
        assertThat(Db.rows("select actor, action, old_value, new_value, correlation_id from orders.audit_log"
                + " where order_id = ? order by id", orderId))
                .extracting(row -> row.get("old_value") + ">" + row.get("new_value"))
                .containsExactly("null>CREATED", "CREATED>PENDING_PAYMENT");
        assertThat(Db.value("select recovery_point from orders.idempotency_key where order_id = ?", orderId))
                .isEqualTo("FINISHED");

        paymentService.verify(1, postRequestedFor(urlEqualTo(PaymentServiceStub.PATH))
                .withHeader("Authorization", WireMock.equalTo("Bearer test-payments-token"))
                .withHeader("X-Correlation-Id", WireMock.matching(".+"))
                .withRequestBody(WireMock.matchingJsonPath("$.orderId", WireMock.equalTo(orderId.toString())))
                .withRequestBody(WireMock.matchingJsonPath("$.amount", WireMock.equalTo("99000")))
                .withRequestBody(WireMock.matchingJsonPath("$.item.id", WireMock.equalTo(Checkouts.SEED_PACKAGE)))
                .withRequestBody(WireMock.matchingJsonPath("$.customer.phone", WireMock.equalTo("+6281234567890"))));
    }

    @Test
    void theSameKeyAndBodyReplayTheStoredAnswerByteForByte() {
        String key = Checkouts.key();
        String body = Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email());
        Response first = Checkouts.post(key, body);
        first.then().statusCode(201);

        Response again = Checkouts.post(key, body);

        again.then().statusCode(201).header("Idempotent-Replayed", "true")
                .header("Location", endsWith("/api/orders/" + first.jsonPath().getString("orderId")));
        assertThat(again.asString()).isEqualTo(first.asString());
        assertThat(PaymentServiceStub.calls(paymentService)).isEqualTo(1);
        assertThat(Db.count("select count(*) from orders.customer_order where id = ?",
                UUID.fromString(first.jsonPath().getString("orderId")))).isEqualTo(1);
    }

    @Test
    void aQuotedKeyIsTheSameKeyAsItsBareForm() {
        String key = Checkouts.key();
        String body = Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email());
        Response first = Checkouts.post(key, body);

        Response quoted = Checkouts.post("\"" + key + "\"", body);

        quoted.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(quoted.asString()).isEqualTo(first.asString());
    }

    @Test
    void equivalentSpellingsOfTheSameOrderAreTheSameRequest() {
        String key = Checkouts.key();
        String email = Checkouts.email();
        Response first = Checkouts.post(key, Checkouts.body(Checkouts.SEED_PACKAGE, email, "0812-3456-7890", null));

        Response again = Checkouts.post(key, Checkouts.body(Checkouts.SEED_PACKAGE, email.toUpperCase(), "+6281234567890", null));

        again.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(again.asString()).isEqualTo(first.asString());
    }

    @Test
    void aKeyReusedForAnotherBodyIsRefusedWithoutWritingAnything() {
        String key = Checkouts.key();
        Checkouts.post(key, Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email())).then().statusCode(201);
        Map<String, Long> before = Db.tableCounts();

        Checkouts.post(key, Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email()))
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/idempotency-key-reused"));

        assertThat(Db.tableCounts()).isEqualTo(before);
    }

    @Test
    void aMissingOrMalformedKeyIsRefusedWithoutWritingAnything() {
        String body = Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email());
        Map<String, Long> before = Db.tableCounts();

        given().contentType("application/json").body(body).post("/api/orders")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/idempotency-key-missing"));
        for (String malformed : List.of("too-short", "x".repeat(256), "\"unterminated-quoted-key", "\"bad\\escape-in-a-key\"",
                "key-with-tab-\t-inside-it", "\"" + "ab\"cd".repeat(4) + "\"")) {
            Checkouts.post(malformed, body).then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://lunas.dev/problems/idempotency-key-invalid"));
        }

        assertThat(Db.tableCounts()).isEqualTo(before);
    }

    @Test
    void twentyConcurrentIdenticalCheckoutsCreateOneOrder() throws Exception {
        paymentService.resetAll();
        paymentService.stubFor(WireMock.post(urlEqualTo(PaymentServiceStub.PATH))
                .willReturn(PaymentServiceStub.tokenResponse().withFixedDelay(300)));
        String key = Checkouts.key();
        String email = Checkouts.email();
        String body = Checkouts.body(Checkouts.SEED_PACKAGE, email);

        List<HttpResponse<String>> answers = Concurrently.run(20, i -> () -> Http.checkout(base, key, body));

        List<HttpResponse<String>> created = answers.stream().filter(a -> a.statusCode() == 201).toList();
        List<HttpResponse<String>> inFlight = answers.stream().filter(a -> a.statusCode() == 409).toList();
        assertThat(created.size() + inFlight.size()).isEqualTo(20);
        assertThat(created).isNotEmpty();
        assertThat(created).extracting(HttpResponse::body).containsOnly(created.get(0).body());
        assertThat(created.stream().filter(a -> a.headers().firstValue("Idempotent-Replayed").isEmpty())).hasSize(1);
        assertThat(inFlight).allSatisfy(answer -> {
            assertThat(answer.body()).contains("idempotency-key-in-use");
            assertThat(answer.headers().firstValue("Retry-After")).contains("1");
        });
        assertThat(Db.count("select count(*) from orders.customer_order where customer_email = ?", email)).isEqualTo(1);
        assertThat(PaymentServiceStub.calls(paymentService)).isEqualTo(1);

        Response replay = Checkouts.post(key, body);
        replay.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(replay.asString()).isEqualTo(created.get(0).body());
    }

    @Test
    void anOrderCanBeReadWithoutPersonalData() {
        String email = Checkouts.email();
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE, email, null);

        Response order = given().get("/api/orders/" + orderId);

        order.then().statusCode(200)
                .body("orderId", equalTo(orderId.toString()))
                .body("status", equalTo("PENDING_PAYMENT"))
                .body("amount", equalTo(99000))
                .body("packageName", equalTo("Buat Film Pakai AI"));
        assertThat(order.asString()).doesNotContain(email).doesNotContain("+62").doesNotContain("Budi");
    }

    @Test
    void unknownAndMalformedOrderIdsAreNotFound() {
        given().get("/api/orders/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/order-not-found"));
        given().get("/api/orders/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
        given().post("/api/orders/not-a-uuid/pay").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void thePackagesOnSaleAreListedWithTheirRemainingQuota() {
        String limited = Db.createPackage("kelas-terbatas", 150_000, 5);
        Db.execute("update orders.package set reserved = 2 where id = ?", limited);
        String retired = Db.createPackage("kelas-lama", 10_000, null);
        Db.execute("update orders.package set active = false where id = ?", retired);

        Response packages = given().get("/api/packages");

        packages.then().statusCode(200);
        assertThat(packages.jsonPath().getList("findAll { it.id == 'ai-movie-course' }", Map.class))
                .singleElement().satisfies(seed -> {
                    assertThat(seed).containsEntry("name", "Buat Film Pakai AI").containsEntry("price", 99000)
                            .containsEntry("currency", "IDR").doesNotContainKey("remainingQuota");
                });
        assertThat(packages.jsonPath().getInt("find { it.id == '" + limited + "' }.remainingQuota")).isEqualTo(3);
        assertThat(packages.jsonPath().getList("id", String.class)).doesNotContain(retired);
    }
}
