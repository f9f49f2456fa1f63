package dev.lunas.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.service.CleanupService;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class CleanupTest {

    @Inject
    CleanupService cleanup;

    @Test
    void finishedRowsGoAfterTheRetentionAndDeadOnesStay() {
        Map<String, UUID> deliveries = Map.of("old-sent", UUID.randomUUID(), "old-skipped", UUID.randomUUID(),
                "old-dead", UUID.randomUUID(), "new-sent", UUID.randomUUID());
        insertFinished(deliveries.get("old-sent"), "SENT", "8 days");
        insertFinished(deliveries.get("old-skipped"), "SKIPPED", "8 days");
        insertFinished(deliveries.get("old-dead"), "DEAD", "30 days");
        insertFinished(deliveries.get("new-sent"), "SENT", "1 hour");
        UUID oldSource = UUID.randomUUID();
        UUID deadSource = UUID.randomUUID();
        insertRelayed(oldSource, "SENT", "8 days");
        insertRelayed(deadSource, "DEAD", "30 days");

        long deleted = cleanup.purgeFinished().await().atMost(Duration.ofSeconds(10));

        assertThat(deleted).isGreaterThanOrEqualTo(3);
        assertThat(Outbox.deliveries(deliveries.get("old-sent"))).isEmpty();
        assertThat(Outbox.deliveries(deliveries.get("old-skipped"))).isEmpty();
        assertThat(Outbox.deliveries(deliveries.get("old-dead"))).hasSize(1);
        assertThat(Outbox.deliveries(deliveries.get("new-sent"))).hasSize(1);
        assertThat(Outbox.sourceRow("orders", oldSource)).isEmpty();
        assertThat(Outbox.sourceRow("orders", deadSource)).isPresent();
    }

    private static void insertRelayed(UUID eventId, String status, String age) {
        Outbox.execute("INSERT INTO orders.outbox (event_id, event_type, aggregate_type, aggregate_id, payload, status, "
                + "relayed_at) VALUES (?, 'OrderCreated', 'order', 'o', '{}'::jsonb, ?, now() - ?::interval)",
                eventId, status, age);
    }

    private static void insertFinished(UUID eventId, String status, String age) {
        Outbox.execute("INSERT INTO notifications.delivery (event_id, source, event_type, aggregate_type, aggregate_id, "
                + "channel, template, payload, event_created_at, status, attempts, max_attempts, finished_at) "
                + "VALUES (?, 'orders', 'OrderPaid', 'order', 'o', 'EMAIL', 'payment-success', '{}'::jsonb, now(), ?, 1, 3, "
                + "now() - ?::interval)", eventId, status, age);
    }
}
