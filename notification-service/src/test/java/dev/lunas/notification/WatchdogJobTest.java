package dev.lunas.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.testing.Mailbox;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The scheduled watchdog: a DEAD delivery is mailed once, however many runs see it within the cool-down. */
@QuarkusTest
@TestProfile(WatchdogJobTest.Scheduled.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class WatchdogJobTest {

    static final String ALERTS = "watchdog-job@lunas.test";

    public static class Scheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lunas.notification.email.alert-address", ALERTS,
                    "lunas.notification.watchdog.enabled", "true",
                    "lunas.notification.watchdog.interval", "1s",
                    "lunas.notification.watchdog.cooldown", "1h");
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void theScheduledWatchdogMailsADeadDeliveryOnceAcrossRuns() {
        Outbox.execute("INSERT INTO notifications.delivery (event_id, source, event_type, aggregate_type, aggregate_id, "
                + "channel, template, payload, event_created_at, status, attempts, max_attempts, last_error, finished_at) "
                + "VALUES (?, 'orders', 'PaymentRequested', 'order', ?, 'WHATSAPP', 'payment-instructions', '{}'::jsonb, "
                + "now(), 'DEAD', 3, 3, 'HTTP 401', now())", UUID.randomUUID(), UUID.randomUUID().toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> !Mailbox.to(ALERTS).isEmpty());
        long runsAtTheMail = runs();
        // three more runs see the same DEAD delivery inside the cool-down
        await().atMost(Duration.ofSeconds(30)).until(() -> runs() >= runsAtTheMail + 3);
        assertThat(Mailbox.to(ALERTS)).hasSize(1)
                .allSatisfy(mail -> assertThat(mail.getSubject()).isEqualTo("[Lunas P0] Deliveries DEAD (1)"));
    }

    private long runs() {
        Timer timer = registry.find("job.execution.time").tag("job_name", "watchdog").tag("outcome", "success").timer();
        return timer == null ? 0 : timer.count();
    }
}
