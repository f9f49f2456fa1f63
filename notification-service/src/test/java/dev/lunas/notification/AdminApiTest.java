package dev.lunas.notification;

import static dev.lunas.notification.testing.Outbox.deliveryStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import dev.lunas.common.event.EventTypes;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class AdminApiTest {

    private static final String ADMIN = "dev-admin-token";

    @Test
    void theAdminApiNeedsTheAdminToken() {
        given().when().get("/admin/deliveries").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("test-relay-token").when().post("/admin/deliveries/requeue")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void badParametersAreClearClientErrors() {
        given().auth().oauth2(ADMIN).when().get("/admin/deliveries?status=LOST")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).when().get("/admin/deliveries?limit=0")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).when().post("/admin/deliveries/requeue?channel=FAX")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).when().get("/admin/deliveries/987654321")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).when().post("/admin/deliveries/987654321/requeue")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).when().post("/admin/outbox/nowhere/{id}/requeue", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).when().post("/admin/outbox/orders/not-a-uuid/requeue")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).when().get("/admin/outbox?status=PENDING")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void onlyDeadDeliveriesAreRequeued() {
        UUID orderId = UUID.randomUUID();
        Outbox.Event event = Outbox.Event.of(EventTypes.PAYMENT_EXPIRED, orderId, Outbox.settlement(orderId));
        Outbox.insert("payments", event);
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(deliveryStatus(event.eventId(), "INTERNAL")));
        long id = ((Number) Outbox.delivery(event.eventId(), "INTERNAL").get("id")).longValue();

        given().auth().oauth2(ADMIN).when().post("/admin/deliveries/{id}/requeue", id)
                .then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(ADMIN).when().get("/admin/deliveries/{id}", id)
                .then().statusCode(200).body("status", equalTo("SENT")).body("orderId", equalTo(orderId.toString()));
    }

    @Test
    void deadDeliveriesAreListedWithTheirHistoryAndRequeuedInBulk() {
        List<UUID> events = List.of(UUID.randomUUID(), UUID.randomUUID());
        for (UUID eventId : events) {
            UUID orderId = UUID.randomUUID();
            Outbox.execute("INSERT INTO notifications.delivery (event_id, source, event_type, aggregate_type, "
                            + "aggregate_id, channel, template, payload, event_created_at, status, attempts, max_attempts, "
                            + "last_error, errors, finished_at) VALUES (?, 'payments', 'PaymentChargedBack', 'payment', ?, "
                            + "'INTERNAL', 'payment-result', ?::jsonb, now(), 'DEAD', 12, 12, 'order-service HTTP 503', "
                            + "'[{\"attempt\":12,\"error\":\"order-service HTTP 503\"}]'::jsonb, now())",
                    eventId, orderId.toString(), Outbox.json(Outbox.settlement(orderId)));
        }

        given().auth().oauth2(ADMIN).when().get("/admin/deliveries?status=DEAD&eventType=PaymentChargedBack")
                .then().statusCode(200)
                .body("eventId", hasItem(events.get(0).toString()))
                .body("status", everyItem(equalTo("DEAD")))
                .body("errors[0][0].error", equalTo("order-service HTTP 503"));
        given().auth().oauth2(ADMIN).when().post("/admin/deliveries/requeue?channel=INTERNAL&eventType=PaymentChargedBack")
                .then().statusCode(200).body("requeued", equalTo(2));

        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                .allMatch(eventId -> "SENT".equals(deliveryStatus(eventId, "INTERNAL"))));
        assertThat(Outbox.delivery(events.get(0), "INTERNAL")).containsEntry("attempts", 13);
        assertThat(Outbox.query("SELECT count(*) AS n FROM notifications.admin_audit WHERE action = 'DELIVERIES_REQUEUED' "
                + "AND detail::text LIKE '%PaymentChargedBack%'").get(0).get("n")).isEqualTo(1L);
    }
}
