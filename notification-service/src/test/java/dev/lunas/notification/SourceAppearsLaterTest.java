package dev.lunas.notification;

import static io.restassured.RestAssured.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.lunas.common.event.EventTypes;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.common.testing.MigrationRollback;
import dev.lunas.common.testing.TestDatabase;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The test profile lists a third source, "latecomer", that no producer has migrated when the service starts. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class SourceAppearsLaterTest {

    @Inject
    NotificationConfig config;

    @Test
    void aMissingSourceTableKeepsTheServiceReadyAndIsRelayedOnceItExists() {
        assertThat(config.sources()).contains("latecomer");
        assertThat(Outbox.query("SELECT to_regclass('latecomer.outbox') IS NULL AS missing").get(0))
                .containsEntry("missing", true);
        get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        MigrationRollback.flyway(TestDatabase.get(), "latecomer", "classpath:db/outbox").migrate();
        UUID orderId = UUID.randomUUID();
        Outbox.Event event = Outbox.Event.of(EventTypes.PAYMENT_SETTLED, orderId, Outbox.settlement(orderId));
        Outbox.insert("latecomer", event);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> "SENT".equals(Outbox.deliveryStatus(event.eventId(), "INTERNAL")));
        assertThat(Outbox.sourceRow("latecomer", event.eventId()).orElseThrow()).containsEntry("status", "SENT");
    }
}
