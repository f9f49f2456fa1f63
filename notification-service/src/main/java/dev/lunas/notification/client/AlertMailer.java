package dev.lunas.notification.client;

import dev.lunas.notification.config.NotificationConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The watchdog's mails to ALERT_EMAIL, sent straight through the mailer rather than through the delivery
 * queue: the queue lives in the database, and one of the things the watchdog reports is that the database is
 * gone. Plain text: what happened, since when (UTC and WIB), what to do, the runbook, and for a "resolved" mail
 * how long it lasted.
 */
@ApplicationScoped
public class AlertMailer {

    /** Where the runbooks are, relative to the repository root: {@code docs/runbooks/<AlertName>.md}. */
    public static final String RUNBOOKS = "docs/runbooks/";
    private static final ZoneId WIB = ZoneId.of("Asia/Jakarta");
    private static final DateTimeFormatter WIB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'WIB'", Locale.ROOT);

    /** What a mail says. {@code kind} is the subject prefix: {@code P0}, {@code resolved}, {@code test}. */
    public record Alert(String kind, String name, String title, String what, Instant since, List<String> steps,
                        Duration lasted) {

        public String subject() {
            return "[Lunas " + kind + "] " + title;
        }
    }

    private final ReactiveMailer mailer;
    private final Optional<String> address;
    private final Duration timeout;

    public AlertMailer(ReactiveMailer mailer, NotificationConfig config) {
        this.mailer = mailer;
        this.address = config.email().alertAddress().filter(value -> !value.isBlank());
        this.timeout = config.email().timeout();
    }

    /** ALERT_EMAIL, if configured. */
    public Optional<String> address() {
        return address;
    }

    /**
     * Sends the alert to ALERT_EMAIL; fails when none is configured, the SMTP server refuses it or does not answer
     * within the EMAIL timeout (the watchdog holds a transaction open while it mails).
     */
    public Uni<Void> send(Alert alert) {
        if (address.isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("no ALERT_EMAIL configured"));
        }
        return mailer.send(Mail.withText(address.get(), alert.subject(), body(alert)))
                .ifNoItem().after(timeout).failWith(() -> new java.util.concurrent.TimeoutException(
                        "the SMTP server did not take the alert within " + timeout.toMillis() + " ms"));
    }

    public static String body(Alert alert) {
        StringBuilder text = new StringBuilder();
        text.append(alert.title()).append("\n\n");
        text.append("What happened: ").append(alert.what()).append('\n');
        if (alert.since() != null) {
            text.append("Since: ").append(when(alert.since())).append('\n');
        }
        if (alert.lasted() != null) {
            text.append("Lasted: ").append(duration(alert.lasted())).append('\n');
        }
        if (!alert.steps().isEmpty()) {
            text.append("\nWhat to do:\n");
            for (int i = 0; i < alert.steps().size(); i++) {
                text.append(i + 1).append(". ").append(alert.steps().get(i)).append('\n');
            }
        }
        if (alert.name() != null) {
            text.append("\nRunbook: ").append(runbook(alert.name())).append('\n');
        }
        text.append("\n-- notification-service watchdog\n");
        return text.toString();
    }

    public static String runbook(String alertName) {
        return RUNBOOKS + alertName + ".md";
    }

    /** {@code 2026-12-04T05:00:00Z (2026-12-04 12:00:00 WIB)}. */
    public static String when(Instant instant) {
        Instant seconds = instant.truncatedTo(ChronoUnit.SECONDS);
        return seconds + " (" + WIB_TIME.format(seconds.atZone(WIB)) + ")";
    }

    /** {@code 1h 5m 3s}. */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        StringBuilder text = new StringBuilder();
        if (seconds >= 86_400) {
            text.append(seconds / 86_400).append("d ");
        }
        if (seconds >= 3_600) {
            text.append(seconds % 86_400 / 3_600).append("h ");
        }
        if (seconds >= 60) {
            text.append(seconds % 3_600 / 60).append("m ");
        }
        return text.append(seconds % 60).append('s').toString();
    }
}
