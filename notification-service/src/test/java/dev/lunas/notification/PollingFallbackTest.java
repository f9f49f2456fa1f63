package dev.lunas.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lunas.common.event.EventTypes;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.testing.Mailbox;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Without LISTEN (a lost notification, a proxy that drops them) the poll alone still delivers. */
@QuarkusTest
@TestProfile(PollingFallbackTest.PollingOnly.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class PollingFallbackTest {

    static final String ALERTS = "ops@lunas.test";

    public static class PollingOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lunas.notification.listen.enabled", "false",
                    "lunas.notification.poll-interval", "1s",
                    "lunas.notification.email.alert-address", ALERTS);
        }
    }

    @Inject
    NotificationConfig config;

    @Test
    void thePollDeliversWhenNoNotificationArrives() throws Exception {
        assertThat(config.listenEnabled()).isFalse();
        UUID orderId = UUID.randomUUID();
        Outbox.Event event = Outbox.Event.of(EventTypes.OPS_ALERT, orderId, Outbox.alert(orderId));

        Outbox.insert("orders", event);

        await().atMost(Duration.ofSeconds(10)).until(() -> Mailbox.to(ALERTS).stream().anyMatch(mail -> about(mail, orderId)));
        List<MimeMessage> alerts = Mailbox.to(ALERTS).stream().filter(mail -> about(mail, orderId)).toList();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).getSubject()).isEqualTo("[Lunas critical] late_settlement");
        assertThat(Outbox.deliveryStatus(event.eventId(), "EMAIL")).isEqualTo("SENT");
    }

    private static boolean about(MimeMessage mail, UUID orderId) {
        try {
            return mail.getMessageID() != null && com.icegreen.greenmail.util.GreenMailUtil.getBody(mail)
                    .contains(orderId.toString());
        } catch (Exception e) {
            return false;
        }
    }
}
