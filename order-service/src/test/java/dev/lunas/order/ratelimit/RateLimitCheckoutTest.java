package dev.lunas.order.ratelimit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checkout's rate limits over real HTTP and the real database: per client address (common's filter, before
 * the body is read) and per customer email (in the checkout, once the body is valid), each refusal a 429
 * problem+json with Retry-After that writes nothing; and the admin limit per caller.
 */
@QuarkusTest
@TestProfile(RateLimitCheckoutTest.RateLimitedProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class RateLimitCheckoutTest {

    private static final String ADMIN_TOKEN = "dev-admin-token";

    /**
     * Small limits, switched on only for the rate-limit tests (the rest of the suite runs with them off). The test
     * client is the trusted proxy, so each test names its own client addresses in X-Forwarded-For and starts from
     * empty counts; hour-long windows keep a window boundary out of a test's few seconds.
     */
    public static class RateLimitedProfile implements QuarkusTestProfile {

        public static final int CHECKOUTS_PER_ADDRESS = 3;
        public static final int CHECKOUTS_PER_EMAIL = 2;
        public static final int ADMIN_PER_CALLER = 2;

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("lunas.rate-limit.enabled", "true"),
                    Map.entry("lunas.rate-limit.trusted-proxies", "127.0.0.0/8,::1"),
                    Map.entry("lunas.rate-limit.rules.checkout-address.limit", String.valueOf(CHECKOUTS_PER_ADDRESS)),
                    Map.entry("lunas.rate-limit.rules.checkout-address.window", "1h"),
                    Map.entry("lunas.rate-limit.rules.checkout-email.limit", String.valueOf(CHECKOUTS_PER_EMAIL)),
                    Map.entry("lunas.rate-limit.rules.checkout-email.window", "1h"),
                    Map.entry("lunas.rate-limit.rules.admin.limit", String.valueOf(ADMIN_PER_CALLER)),
                    Map.entry("lunas.rate-limit.rules.admin.window", "1h"));
        }
    }

    @InjectPaymentService
    WireMockServer paymentService;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void paymentServiceIssuesTokens() {
        breakers.resetAll();
        paymentService.resetAll();
        PaymentServiceStub.issueTokens(paymentService);
    }

    @Test
    void checkoutsBeyondTheLimitOfAnAddressAre429ProblemsWithRetryAfterAndWriteNothing() {
        String address = randomAddress();
        for (int i = 0; i < RateLimitedProfile.CHECKOUTS_PER_ADDRESS; i++) {
            checkout(address, Checkouts.email()).then().statusCode(201);
        }
        Map<String, Long> before = Db.tableCounts();
        String email = Checkouts.email();

        Response refused = checkout(address, email);

        refused.then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", endsWith("/too-many-requests"))
                .body("status", equalTo(429))
                .body("instance", equalTo("/api/orders"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(Db.tableCounts()).isEqualTo(before);
        assertThat(Db.count("select count(*) from orders.customer_order where customer_email = ?", email)).isZero();

        // another client behind the same proxy is not affected
        checkout(randomAddress(), Checkouts.email()).then().statusCode(201);
        // and the refusals are counted
        assertThat(given().get("/q/metrics").asString()).containsPattern("rate_limit_refused_total\\{[^}]*rule=\"checkout-address\"");
    }

    @Test
    void checkoutsForOneEmailAreLimitedWhateverAddressTheyComeFrom() {
        String email = Checkouts.email();
        for (int i = 0; i < RateLimitedProfile.CHECKOUTS_PER_EMAIL; i++) {
            checkout(randomAddress(), email).then().statusCode(201);
        }
        Map<String, Long> before = Db.tableCounts();

        // the same email in other letter case, from yet another address
        Response refused = checkout(randomAddress(), email.toUpperCase(java.util.Locale.ROOT));

        refused.then().statusCode(429).contentType("application/problem+json").body("type", endsWith("/too-many-requests"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(Db.tableCounts()).isEqualTo(before);
        assertThat(Db.count("select count(*) from orders.customer_order where lower(customer_email) = lower(?)", email))
                .isEqualTo(RateLimitedProfile.CHECKOUTS_PER_EMAIL);
        // the table holds hashes, not the email
        assertThat(Db.count("select count(*) from orders.rate_limit where bucket like '%' || ? || '%'", email)).isZero();
        assertThat(Db.count("select count(*) from orders.rate_limit where bucket like 'checkout-email:%'")).isPositive();
    }

    @Test
    void anInvalidBodyIsNotCountedAgainstTheEmail() {
        String email = Checkouts.email();
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", Checkouts.key())
                    .header("X-Forwarded-For", randomAddress())
                    .body(Checkouts.body("NOT A PACKAGE", email)).post("/api/orders").then().statusCode(400);
        }
        checkout(randomAddress(), email).then().statusCode(201);
    }

    @Test
    void theAdminApiIsLimitedPerCallerAndGuessedTokensCountAgainstTheGuessersAddress() {
        String guesser = randomAddress();
        for (int i = 0; i < RateLimitedProfile.ADMIN_PER_CALLER; i++) {
            admin(guesser, "guess-" + i).then().statusCode(403);
        }
        admin(guesser, "guess-last").then().statusCode(429).contentType("application/problem+json");
        admin(guesser, null).then().statusCode(429);

        // the valid token is a caller of its own, whatever address it comes from
        for (int i = 0; i < RateLimitedProfile.ADMIN_PER_CALLER; i++) {
            assertThat(admin(randomAddress(), ADMIN_TOKEN).statusCode()).isNotEqualTo(429);
        }
        admin(randomAddress(), ADMIN_TOKEN).then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    private static Response checkout(String address, String email) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", Checkouts.key())
                .header("X-Forwarded-For", "203.0.113.66, " + address)
                .body(Checkouts.body(Checkouts.SEED_PACKAGE, email)).post("/api/orders");
    }

    private static Response admin(String address, String token) {
        var request = given().header("X-Forwarded-For", address);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.get("/admin/anything");
    }

    /** A client no other test uses: a random IPv6 /64 of the documentation range (clients are counted by /64). */
    static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("2001:db8:%x:%x::%x", random.nextInt(0x10000), random.nextInt(0x10000), random.nextInt(1, 0x10000));
    }
}
