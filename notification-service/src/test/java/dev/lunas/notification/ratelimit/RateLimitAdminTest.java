package dev.lunas.notification.ratelimit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.common.testing.TestDatabase;
import dev.lunas.notification.testing.NotificationPeers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin limit per caller in the service that has no Hibernate: the limiter runs on the plain reactive pool and
 * counts in notifications.rate_limit.
 */
@QuarkusTest
@TestProfile(RateLimitAdminTest.TinyAdminLimit.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class RateLimitAdminTest {

    static final int LIMIT = 2;

    public static class TinyAdminLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "lunas.rate-limit.enabled", "true",
                    "lunas.rate-limit.rules.admin.limit", String.valueOf(LIMIT),
                    "lunas.rate-limit.rules.admin.window", "1h");
        }
    }

    @Test
    void theAdminApiAnswers429BeyondTheLimitOfItsCaller() throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            given().auth().oauth2("dev-admin-token").get("/admin/deliveries").then().statusCode(200);
        }
        Response refused = given().auth().oauth2("dev-admin-token").get("/admin/deliveries");

        refused.then().statusCode(429).contentType("application/problem+json");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
        try (Connection connection = TestDatabase.get().connect(); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("select count(*) from notifications.rate_limit where bucket like 'admin:%'")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1);
        }
    }
}
