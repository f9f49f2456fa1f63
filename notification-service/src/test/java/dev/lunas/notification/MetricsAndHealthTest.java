package dev.lunas.notification;

import static io.restassured.RestAssured.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.lunas.common.event.EventTypes;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.common.testing.TestDatabase;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class MetricsAndHealthTest {

    @Test
    void thePlaybookMetricsAreExported() {
        UUID orderId = UUID.randomUUID();
        Outbox.Event event = Outbox.Event.of(EventTypes.PAYMENT_SETTLED, orderId, Outbox.settlement(orderId));
        Outbox.insert("payments", event);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "SENT".equals(Outbox.deliveryStatus(event.eventId(), "INTERNAL")));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = get("/q/metrics").then().statusCode(200).extract().asString();
            for (String name : List.of("outbox_pending{", "outbox_retrying{", "outbox_failed{",
                    "outbox_oldest_pending_age_seconds{", "outbox_latency_seconds_bucket{", "outbox_latency_seconds_count{",
                    "worker_alive{", "scheduler_alive{", "job_execution_time_seconds_count{",
                    "notification_attempts_total{", "outbox_relayed_total{", "notification_breaker_open{",
                    "notification_skipped_total{", "notification_payment_result_dead_total{", "job_timeout_total{",
                    "metrics_refreshed_timestamp_seconds{", "database_up{")) {
                assertThat(metrics).contains(name);
            }
            assertThat(metrics).contains("service=\"notification-service\"")
                    .contains("job_name=\"outbox-gauges\"").contains("job_name=\"delivery-rescue\"")
                    .doesNotContain("job=\"").doesNotContain("instance=\"");
            assertThat(value(metrics, "worker_alive")).isEqualTo(1.0);
            assertThat(value(metrics, "scheduler_alive")).isEqualTo(1.0);
        });
    }

    @Test
    void theGaugesFollowTheDatabase() {
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        // an event an hour old, not due yet: the oldest pending age must show it
        Outbox.execute("INSERT INTO notifications.delivery (event_id, source, event_type, aggregate_type, aggregate_id, "
                        + "channel, template, payload, event_created_at, status, max_attempts, available_at) "
                        + "VALUES (?, 'payments', 'PaymentSettled', 'payment', ?, 'INTERNAL', 'payment-result', ?::jsonb, "
                        + "now() - interval '1 hour', 'PENDING', 12, now() + interval '1 hour')",
                eventId, orderId.toString(), Outbox.json(Outbox.settlement(orderId)));
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = get("/q/metrics").then().extract().asString();
                assertThat(value(metrics, "outbox_oldest_pending_age_seconds")).isGreaterThanOrEqualTo(3600.0);
                assertThat(value(metrics, "outbox_pending")).isGreaterThanOrEqualTo(1.0);
            });
        } finally {
            Outbox.execute("DELETE FROM notifications.delivery WHERE event_id = ?", eventId);
        }
    }

    @Test
    void eachGaugeRefreshIsStampedAndTheDatabaseIsUp() {
        double before = System.currentTimeMillis() / 1000.0;

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = get("/q/metrics").then().extract().asString();
            assertThat(value(metrics, "metrics_refreshed_timestamp_seconds")).isGreaterThanOrEqualTo(before);
            assertThat(value(metrics, "database_up")).isEqualTo(1.0);
        });
    }

    @Test
    void theOldestOpenTransactionIsExportedWithItsRoleAndEndsWithIt() throws Exception {
        try (Connection holder = TestDatabase.get().connect(); Statement sql = holder.createStatement()) {
            sql.execute("SET application_name = 'report-tool'");
            holder.setAutoCommit(false);
            holder.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            // the snapshot is taken by the first statement; then the session sits idle in its transaction
            sql.executeQuery("SELECT count(*) FROM pg_class").close();
            String role = TestDatabase.get().username();

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                String metrics = get("/q/metrics").then().extract().asString();
                assertThat(value(metrics, "database_oldest_transaction_age_seconds", "db_role=\"" + role + "\""))
                        .isGreaterThanOrEqualTo(2.0);
            });
            holder.rollback();
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String metrics = get("/q/metrics").then().extract().asString();
            // the services' own transactions come and go within milliseconds
            assertThat(value(metrics, "database_oldest_transaction_age_seconds", "")).isLessThan(2.0);
        });
    }

    @Test
    void healthIsUpAndLivenessHasNoDependencies() {
        get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    static double value(String metrics, String name) {
        return value(metrics, name, "");
    }

    /** The value of the first series of {@code name} whose labels contain {@code label} (a regular expression). */
    static double value(String metrics, String name, String label) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*" + label + "[^}]*} ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(matcher.find()).as(name + " in " + metrics.length() + " chars of metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
