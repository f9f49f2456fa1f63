package dev.lunas.order;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.job.OrderExpiryJob;
import dev.lunas.order.job.OrderGaugesJob;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.OnVertx;
import dev.lunas.order.testing.PaymentEvents;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What operators and the storefront team rely on: metrics, probes, the OpenAPI contract, CORS, correlation ids. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class OperationsTest {

    @InjectPaymentService
    WireMockServer paymentService;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    OrderGaugesJob gauges;

    @Inject
    OrderExpiryJob expiry;

    @BeforeEach
    void paymentServiceIssuesTokens() {
        breakers.resetAll();
        paymentService.resetAll();
        PaymentServiceStub.issueTokens(paymentService);
    }

    @Test
    void thePlaybookMetricsAreExportedWithTheServiceTag() throws Exception {
        double createdBefore = sample(scrape(), "checkout_created_total");
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        Db.shiftOrder(orderId, "40 minutes", "23 hours");
        UUID recent = Checkouts.create(Checkouts.SEED_PACKAGE);
        Db.shiftOrder(recent, "20 minutes", "23 hours");
        OnVertx.await(expiry::expireDue);
        double refreshStarted = System.currentTimeMillis() / 1000.0;
        OnVertx.await(gauges::refresh);
        long pending = Db.count("select count(*) from orders.customer_order where status in ('CREATED', 'PENDING_PAYMENT')");
        // the playbook's aging: pending for longer than 30 minutes since checkout
        long aging = Db.count("select count(*) from orders.customer_order where status in ('CREATED', 'PENDING_PAYMENT')"
                + " and created_at < now() - interval '30 minutes'");
        long agingOtherThanOurs = Db.count("select count(*) from orders.customer_order where status in ('CREATED',"
                + " 'PENDING_PAYMENT') and created_at < now() - interval '30 minutes' and id not in (?, ?)", orderId, recent);

        String metrics = scrape();

        assertThat(sample(metrics, "checkout_created_total")).isEqualTo(createdBefore + 2);
        assertThat(sample(metrics, "orders_pending")).isEqualTo(pending);
        assertThat(sample(metrics, "orders_pending_aging")).isEqualTo(aging).isEqualTo(agingOtherThanOurs + 1);
        assertThat(sample(metrics, "metrics_refreshed_timestamp_seconds")).isGreaterThanOrEqualTo(refreshStarted);
        assertThat(sample(metrics, "database_up")).isEqualTo(1);
        assertThat(sample(metrics, "scheduler_alive")).isEqualTo(1);
        assertThat(metrics).contains("# TYPE checkout_created counter")
                .containsPattern("job_execution_time_seconds_count\\{[^}]*job_name=\"order-gauges\"[^}]*service=\"order-service\"")
                .containsPattern("job_execution_time_seconds_count\\{[^}]*job_name=\"order-expiry\"[^}]*service=\"order-service\"")
                .doesNotContainPattern("\\{[^}]*\\bjob=\"")
                .doesNotContainPattern("\\{[^}]*\\binstance=\"");
    }

    @Test
    void ordersThatBecomePaidOrExpiredAreCountedOnce() throws Exception {
        String before = scrape();
        UUID paid = Checkouts.create(Checkouts.SEED_PACKAGE);
        UUID expiredByMidtrans = Checkouts.create(Checkouts.SEED_PACKAGE);
        UUID due = Checkouts.create(Checkouts.SEED_PACKAGE);
        Db.shiftOrder(due, "25 hours", "-1 hour");

        String settled = PaymentEvents.settled(UUID.randomUUID(), paid, "tx-" + paid, 99000);
        PaymentEvents.expect(settled, "APPLIED");
        PaymentEvents.expect(settled, "DUPLICATE");
        PaymentEvents.expect(PaymentEvents.envelope(UUID.randomUUID(), "PaymentExpired", expiredByMidtrans,
                "tx-" + expiredByMidtrans, "expire", 99000, null), "APPLIED");
        int expiredByJob = OnVertx.await(expiry::expireDue);

        String after = scrape();

        assertThat(Db.orderStatus(due)).isEqualTo("EXPIRED");
        assertThat(expiredByJob).isGreaterThanOrEqualTo(1);
        assertThat(sample(after, "orders_paid_total")).isEqualTo(sample(before, "orders_paid_total") + 1);
        assertThat(sample(after, "orders_expired_total"))
                .isEqualTo(sample(before, "orders_expired_total") + 1 + expiredByJob);
    }

    @Test
    void livenessNeedsNothingAndReadinessChecksTheDatabase() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }

    @Test
    void theOpenApiDocumentDescribesTheStorefrontApiOnly() {
        JsonPath openapi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();

        Map<String, Object> paths = openapi.getMap("paths");
        assertThat(paths).containsKeys("/api/packages", "/api/orders", "/api/orders/{orderId}", "/api/orders/{orderId}/pay")
                .doesNotContainKeys("/internal/payment-events", "/api/entitlements");
        assertThat(openapi.getList("paths.'/api/orders'.post.parameters.name", String.class)).contains("Idempotency-Key");
        assertThat(openapi.getMap("paths.'/api/orders'.post.responses"))
                .containsKeys("201", "400", "409", "422", "429", "4XX", "503");
        assertThat(openapi.getMap("components.schemas")).containsKeys("CheckoutRequest", "Order", "Problem");
        // the storefront's generated client names the operations; each is public, saying so with security: []
        assertThat(openapi.getString("paths.'/api/packages'.get.operationId")).isEqualTo("listPackages");
        assertThat(openapi.getString("paths.'/api/orders'.post.operationId")).isEqualTo("createCheckout");
        assertThat(openapi.getString("paths.'/api/orders/{orderId}'.get.operationId")).isEqualTo("getOrder");
        assertThat(openapi.getString("paths.'/api/orders/{orderId}/pay'.post.operationId")).isEqualTo("payAgain");
        assertThat(openapi.getList("paths.'/api/orders'.post.security")).isEmpty();
        assertThat(openapi.getString("components.headers.RetryAfter.schema.type")).isEqualTo("integer");
        assertThat(openapi.getString("servers[0].url")).isEqualTo("/");
    }

    @Test
    void theStorefrontOriginMayCallTheApiAndOthersMayNot() {
        given().header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,idempotency-key,x-correlation-id")
                .options("/api/orders")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:3000")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Idempotency-Key"));
        given().header("Origin", "http://localhost:3000").get("/api/packages")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:3000")
                .header("Access-Control-Expose-Headers", containsString("Idempotent-Replayed"))
                .header("Access-Control-Expose-Headers", containsString("Retry-After"));
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/orders")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void theCallersCorrelationIdIsEchoedAndWrittenToTheAuditTrail() {
        String correlationId = "storefront-" + UUID.randomUUID();
        String orderId = given().contentType("application/json").header("Idempotency-Key", Checkouts.key())
                .header("X-Correlation-Id", correlationId)
                .body(Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email()))
                .post("/api/orders")
                .then().statusCode(201).header("X-Correlation-Id", correlationId)
                .extract().path("orderId");

        assertThat(Db.rows("select correlation_id from orders.audit_log where order_id = ?", UUID.fromString(orderId)))
                .hasSize(2).allSatisfy(row -> assertThat(row.get("correlation_id")).isEqualTo(correlationId));
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of a sample tagged service="order-service"; fails when there is none. */
    private static double sample(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
        while (matcher.find()) {
            if (matcher.group(1).contains("service=\"order-service\"")) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("No sample " + name + "{service=\"order-service\"} in\n" + metrics);
    }
}
