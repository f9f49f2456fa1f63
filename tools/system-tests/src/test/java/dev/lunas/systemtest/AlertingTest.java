package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lunas.launcher.run.EmbeddedDatabase;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.CapturedMessages.Email;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The alert path end to end, with the repository's own rules (deploy/prometheus/alerts.yaml) and Alertmanager
 * routing (deploy/alertmanager, rendered by its render script): a real Prometheus and Alertmanager watch the
 * running system; notification-service stops, and the ops team's alert mail arrives in the SMTP sink; it comes
 * back, and the resolved notice follows. Without Prometheus, notification-service's watchdog mails a database
 * outage itself, and its end. The only changes to the shipped files are the waits: every rule's
 * {@code for} and Alertmanager's grouping intervals are cut to seconds, so the test needn't wait minutes (the
 * promtool tests check the real hold times).
 */
@Order(12)
@ExtendWith(SharedSystem.class)
class AlertingTest {

    private static final String OPS = "ops-team@lunas.test";

    @Test
    void aStoppedServiceIsMailedToOpsAndItsRecoveryToo(SystemUnderTest system) throws Exception {
        Path repository = system.repository();
        try (Monitoring monitoring = Monitoring.in(system, "alerting")) {
            Path rules = system.runDirectory().resolve("alerting/alerts.yaml");
            Files.writeString(rules, Files.readString(repository.resolve("deploy/prometheus/alerts.yaml"))
                    .replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 0s"));
            String alertmanager = monitoring.startAlertmanager(alertmanagerConfiguration(repository, system));
            monitoring.startPrometheus(system, Optional.of(rules), Optional.of(alertmanager));

            system.stop(Service.NOTIFICATION);
            try {
                Email down = Eventually.within(Duration.ofSeconds(120), "the ops alert mail for the stopped service")
                        .until(() -> aboutNotificationService(system), mails -> !mails.isEmpty()).get(0);
                assertThat(down.subject()).contains("[P1]").contains("ServiceDown");
                assertThat(down.html() + down.text()).contains("notification-service");
            } finally {
                system.start(Service.NOTIFICATION);
            }
            Eventually.within(Duration.ofSeconds(120), "the resolved notice once it is back").until(
                    () -> aboutNotificationService(system).stream()
                            .anyMatch(mail -> (mail.html() + mail.text()).toLowerCase(Locale.ROOT).contains("resolved")),
                    resolved -> resolved);
        }
    }

    @Test
    void theWatchdogMailsADatabaseOutageWithoutPrometheusAndItsEnd(SystemUnderTest system) {
        EmbeddedDatabase database = system.database().server().orElse(null);
        assumeTrue(database != null, "the database is external (LUNAS_TEST_DATABASE_URL): the harness cannot stop it");
        database.stop(EmbeddedDatabase.StopMode.FAST);
        try {
            Email down = Eventually.within(Duration.ofSeconds(60), "the watchdog's database-unreachable mail")
                    .until(() -> watchdogMails(system, "Database unreachable"), mails -> !mails.isEmpty()).get(0);
            assertThat(down.subject()).startsWith("[Lunas P0]");
            assertThat(down.text()).contains("docs/runbooks/DatabaseUnreachable.md");
        } finally {
            database.startAgain();
        }
        Eventually.within(Duration.ofSeconds(60), "the watchdog's recovery mail")
                .until(() -> watchdogMails(system, "Database reachable again"), mails -> !mails.isEmpty());
        system.ensureRunning();
    }

    private static List<Email> watchdogMails(SystemUnderTest system, String subject) {
        return system.messages().emailsTo(SystemUnderTest.ALERT_EMAIL).stream()
                .filter(mail -> mail.subject().contains(subject)).toList();
    }

    private static List<Email> aboutNotificationService(SystemUnderTest system) {
        return system.messages().emailsTo(OPS).stream()
                .filter(mail -> mail.subject().contains("ServiceDown") && mail.subject().contains("notification-service"))
                .toList();
    }

    /** deploy/alertmanager/render with the sink as SMTP server and test addresses; waits cut to a second. */
    private static String alertmanagerConfiguration(Path repository, SystemUnderTest system)
            throws IOException, InterruptedException {
        Path password = Files.writeString(system.runDirectory().resolve("alerting/smtp-password"), "unused");
        ProcessBuilder render = new ProcessBuilder(repository.resolve("deploy/alertmanager/render").toString())
                .redirectErrorStream(true);
        render.environment().put("ALERTMANAGER_SMTP_SMARTHOST", system.smtpAddress());
        render.environment().put("ALERTMANAGER_SMTP_FROM", "alerts@lunas.test");
        render.environment().put("ALERTMANAGER_SMTP_PASSWORD_FILE", password.toString());
        render.environment().put("ALERT_PAYMENTS_PAGER_EMAIL", "payments-pager@lunas.test");
        render.environment().put("ALERT_PAYMENTS_EMAIL", "payments-team@lunas.test");
        render.environment().put("ALERT_OPS_PAGER_EMAIL", "ops-pager@lunas.test");
        render.environment().put("ALERT_OPS_EMAIL", OPS);
        render.environment().remove("ALERT_CHAT_WEBHOOK_URL");
        Process process = render.start();
        String configuration = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("render: %s", configuration).isZero();
        return configuration
                .replaceAll("smtp_require_tls: true", "smtp_require_tls: false")
                .replaceAll("(?m)^(\\s+)group_wait: \\S+$", "$1group_wait: 1s")
                .replaceAll("(?m)^(\\s+)group_interval: \\S+$", "$1group_interval: 1s");
    }
}
