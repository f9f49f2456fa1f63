package dev.lunas.payment.ratelimit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.payment.testing.Api;
import dev.lunas.payment.testing.Db;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.Midtrans.Note;
import dev.lunas.payment.testing.MidtransWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Midtrans webhook's limit per address, with a tiny test limit, over real HTTP and the real database: the
 * notification beyond it is answered 429 problem+json with Retry-After (Midtrans retries it later) and recorded
 * nowhere, while other addresses go on.
 */
@QuarkusTest
@TestProfile(RateLimitWebhookTest.TinyWebhookLimit.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class RateLimitWebhookTest {

    static final int LIMIT = 3;

    public static class TinyWebhookLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "lunas.rate-limit.enabled", "true",
                    "lunas.rate-limit.trusted-proxies", "127.0.0.0/8,::1",
                    "lunas.rate-limit.rules.webhook-address.limit", String.valueOf(LIMIT),
                    "lunas.rate-limit.rules.webhook-address.window", "1h");
        }
    }

    @InjectMidtrans
    WireMockServer midtrans;

    @BeforeEach
    void reset() {
        Db.reset();
        midtrans.resetAll();
    }

    @Test
    void notificationsBeyondTheLimitOfAnAddressAre429AndRecordNothing() {
        String midtransAddress = randomAddress();
        for (int i = 0; i < LIMIT; i++) {
            assertThat(notify(midtransAddress, Api.pendingPayment(midtrans)).statusCode()).isEqualTo(200);
        }
        long written = Db.writtenRows();
        UUID orderId = Api.pendingPayment(midtrans);
        long withPayment = Db.writtenRows();

        Response refused = notify(midtransAddress, orderId);

        refused.then().statusCode(429).contentType("application/problem+json")
                .body("type", endsWith("/too-many-requests"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(Db.writtenRows()).isEqualTo(withPayment).isGreaterThan(written);
        assertThat(Api.status(orderId)).isEqualTo("PENDING");

        // the same notification from another address is taken
        notify(randomAddress(), orderId).then().statusCode(200);
        assertThat(Api.status(orderId)).isEqualTo("SETTLED");
        assertThat(given().get("/q/metrics").asString()).containsPattern("rate_limit_refused_total\\{[^}]*rule=\"webhook-address\"");
    }

    private static Response notify(String address, UUID orderId) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", address)
                .body(Note.settlement(orderId, Api.AMOUNT).json()).post("/webhooks/midtrans");
    }

    private static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.18." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }
}
