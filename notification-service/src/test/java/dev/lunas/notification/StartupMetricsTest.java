package dev.lunas.notification;

import static io.restassured.RestAssured.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.common.metrics.ExportedMetrics;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.testing.NotificationPeers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every meter is exported from start-up, before the first delivery, so an alert rule sees 0 rather than no
 * series: the names this service exports with each of their known tag values, and every name
 * deploy/prometheus/metrics.txt lists for it (this service has no SmallRye Fault Tolerance meters, which would
 * appear only at a guarded call's first use).
 */
@QuarkusTest
@TestProfile(StartupMetricsTest.JustStarted.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class StartupMetricsTest {

    /** A profile of its own, so this class scrapes an application that has just started. */
    public static class JustStarted implements QuarkusTestProfile {
    }

    private static final String SERVICE = "notification-service";

    /** What this service exports (docs/architecture.md, "Metrics names", and the README's "Metrics"). */
    static final List<String> EXPORTED = List.of("outbox_pending", "outbox_retrying", "outbox_failed",
            "outbox_oldest_pending_age_seconds", "outbox_latency_seconds", "worker_alive", "notification_attempts_total",
            "notification_skipped_total", "outbox_relayed_total", "notification_breaker_open",
            "notification_payment_result_dead_total", "database_oldest_transaction_age_seconds",
            "metrics_refreshed_timestamp_seconds", "database_up",
            "scheduler_alive", "job_execution_time_seconds", "job_timeout_total");

    private static final List<String> JOBS = List.of("outbox-poll", "outbox-gauges", "delivery-rescue", "outbox-cleanup");

    @Test
    void everyMeterOfThisServiceIsExportedFromStartUp() {
        String metrics = scrape();

        assertThat(ExportedMetrics.missing(EXPORTED, metrics, SERVICE)).as("not exported at start-up").isEmpty();
        for (Channel channel : Channel.values()) {
            for (String outcome : List.of("sent", "retry", "dead", "lease_lost")) {
                assertThat(metrics).containsPattern("(?m)^notification_attempts_total\\{[^}]*channel=\"" + channel
                        + "\",[^}]*outcome=\"" + outcome + "\"");
            }
            assertThat(metrics).containsPattern("(?m)^outbox_latency_seconds_bucket\\{[^}]*channel=\"" + channel + "\"");
        }
        for (String source : List.of("orders", "payments")) {
            assertThat(metrics).containsPattern("(?m)^outbox_relayed_total\\{[^}]*source=\"" + source + "\"");
        }
        assertThat(metrics).containsPattern("(?m)^notification_payment_result_dead_total\\{[^}]*event_type=\"PaymentSettled\"")
                .containsPattern("(?m)^notification_skipped_total\\{[^}]*channel=\"EMAIL\",[^}]*template=\"ops-alert\"");
        for (String job : JOBS) {
            assertThat(metrics).as(job).containsPattern("(?m)^job_timeout_total\\{[^}]*job_name=\"" + job + "\"")
                    .containsPattern("(?m)^job_execution_time_seconds_count\\{[^}]*job_name=\"" + job + "\"");
        }
        assertThat(ExportedMetrics.missing(ExportedMetrics.listed(SERVICE), metrics, SERVICE))
                .as("listed in %s for %s but not exported at start-up", ExportedMetrics.LIST, SERVICE).isEmpty();
    }

    private static String scrape() {
        return get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
