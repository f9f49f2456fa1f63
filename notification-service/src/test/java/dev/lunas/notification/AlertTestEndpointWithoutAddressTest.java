package dev.lunas.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;

import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.testing.NotificationPeers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without ALERT_EMAIL a test alert has nowhere to go, and the operator is told so. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class AlertTestEndpointWithoutAddressTest {

    @Test
    void aTestAlertWithoutAlertEmailIsAConflict() {
        given().header("Authorization", "Bearer dev-admin-token").when().post("/admin/alerts/test")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/alert-email-not-configured"));
    }
}
