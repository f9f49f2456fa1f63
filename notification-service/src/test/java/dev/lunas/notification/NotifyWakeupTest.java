package dev.lunas.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lunas.common.event.EventTypes;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class NotifyWakeupTest {

    @Inject
    NotificationConfig config;

    @Test
    void aCommittedEventLeavesLongBeforeTheNextPoll() {
        assertThat(config.pollInterval()).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
        assertThat(config.listenEnabled()).isTrue();
        UUID orderId = UUID.randomUUID();
        Outbox.Event event = Outbox.Event.of(EventTypes.PAYMENT_SETTLED, orderId, Outbox.settlement(orderId));

        long started = System.nanoTime();
        Outbox.insert("payments", event);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> "SENT".equals(Outbox.deliveryStatus(event.eventId(), "INTERNAL")));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
}
