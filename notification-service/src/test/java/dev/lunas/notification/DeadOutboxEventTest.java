package dev.lunas.notification;

import static dev.lunas.notification.testing.Outbox.deliveries;
import static dev.lunas.notification.testing.Outbox.deliveryStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.lunas.common.event.EventTypes;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.testing.Mailbox;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import dev.lunas.notification.testing.Outbox.Event;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class DeadOutboxEventTest {

    private static final String ADMIN = "dev-admin-token";

    @Test
    void unroutableEventsGoDeadVisiblyAndCanBeRequeued() {
        UUID orderId = UUID.randomUUID();
        Event unknown = new Event(UUID.randomUUID(), "OrderShipped", "order", orderId.toString(), "{\"orderId\":\"x\"}");
        var customer = Outbox.customer("+6281399990000");
        String goodPayload = Outbox.json(Outbox.paymentInstructions(orderId, customer));
        Event broken = new Event(UUID.randomUUID(), EventTypes.PAYMENT_REQUESTED, "order", orderId.toString(),
                goodPayload.replace("\"amount\":99000", "\"amount\":\"sembilan puluh\""));

        Outbox.insert("orders", unknown, broken);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                "DEAD".equals(Outbox.sourceRow("orders", unknown.eventId()).orElseThrow().get("status"))
                        && "DEAD".equals(Outbox.sourceRow("orders", broken.eventId()).orElseThrow().get("status")));
        assertThat((String) Outbox.sourceRow("orders", unknown.eventId()).orElseThrow().get("last_error"))
                .contains("unknown event type 'OrderShipped'");
        assertThat((String) Outbox.sourceRow("orders", broken.eventId()).orElseThrow().get("last_error"))
                .contains("PaymentInstructions", "'amount'").doesNotContain("sembilan");
        assertThat(deliveries(unknown.eventId())).isEmpty();
        assertThat(deliveries(broken.eventId())).isEmpty();

        given().auth().oauth2(ADMIN).when().get("/admin/outbox?status=DEAD&source=orders")
                .then().statusCode(200)
                .body("eventId", hasItems(unknown.eventId().toString(), broken.eventId().toString()));

        // the producer's bug is fixed, the operator requeues: it is relayed and delivered
        Outbox.execute("UPDATE orders.outbox SET payload = ?::jsonb WHERE event_id = ?", goodPayload, broken.eventId());
        given().auth().oauth2(ADMIN).when().post("/admin/outbox/orders/{id}/requeue", broken.eventId())
                .then().statusCode(200).body("eventId", equalTo(broken.eventId().toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(deliveryStatus(broken.eventId(), "EMAIL"))
                && "SENT".equals(deliveryStatus(broken.eventId(), "WHATSAPP")));
        assertThat(Outbox.sourceRow("orders", broken.eventId()).orElseThrow()).containsEntry("status", "SENT");
        assertThat(Mailbox.to(customer.email())).hasSize(1);

        // still unknown after a requeue: dead again, never lost
        given().auth().oauth2(ADMIN).when().post("/admin/outbox/requeue?source=orders&eventType=OrderShipped")
                .then().statusCode(200).body("requeued", equalTo(1));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "DEAD".equals(Outbox.sourceRow("orders", unknown.eventId()).orElseThrow().get("status")));
        assertThat(Outbox.query("SELECT count(*) AS n FROM notifications.admin_audit WHERE action = 'OUTBOX_EVENTS_REQUEUED' "
                + "AND detail::text LIKE ?", "%" + unknown.eventId() + "%").get(0).get("n")).isEqualTo(1L);

        given().auth().oauth2(ADMIN).when().post("/admin/outbox/orders/{id}/requeue", broken.eventId())
                .then().statusCode(404).contentType("application/problem+json");
    }
}
