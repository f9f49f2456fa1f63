package dev.lunas.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, "Security headers": every answer, an error or a refusal as much as a success, forbids sniffing,
 * framing and referrers; order and entitlement answers are never stored by a cache.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class SecurityHeadersTest {

    @Test
    void everyAnswerCarriesTheHeaders() {
        secure(given().get("/api/packages").then().statusCode(200)).header("Cache-Control", nullValue());
        secure(given().get("/api/orders/00000000-0000-0000-0000-000000000000").then().statusCode(404))
                .header("Cache-Control", equalTo("no-store"));
        secure(given().get("/api/entitlements").then().statusCode(401)).header("Cache-Control", equalTo("no-store"));
        secure(given().get("/no/such/path").then().statusCode(404));
        secure(given().contentType("application/json").body("{").post("/api/orders").then().statusCode(400))
                .header("Cache-Control", equalTo("no-store"));
    }

    private static ValidatableResponse secure(ValidatableResponse answer) {
        return answer.header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "frame-ancestors 'none'")
                .header("Referrer-Policy", "no-referrer")
                .header("Strict-Transport-Security", nullValue());
    }
}
