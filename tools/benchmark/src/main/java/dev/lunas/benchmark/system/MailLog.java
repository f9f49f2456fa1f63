package dev.lunas.benchmark.system;

import dev.lunas.launcher.sink.MailSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every mail the sink accepted, with the moment it had it. notification-service derives each Message-ID from the
 * event it delivers ({@code <event-id.template@domain>}), which ties a mail back to its outbox row.
 */
public final class MailLog {

    private static final Pattern EVENT = Pattern.compile("<([0-9a-fA-F-]{36})\\.([a-z0-9-]+)@[^>]+>");

    /** One accepted mail. */
    public record Mail(String eventId, String template, Instant acceptedAt) {
    }

    private final ConcurrentLinkedQueue<Mail> accepted = new ConcurrentLinkedQueue<>();

    void accepted(MailSink.Accepted mail) {
        eventOf(mail.messageId()).ifPresent(event -> accepted.add(new Mail(event[0], event[1], mail.at())));
    }

    /** The event id and template a Message-ID names, if it is one of notification-service's. */
    static Optional<String[]> eventOf(String messageId) {
        if (messageId == null) {
            return Optional.empty();
        }
        Matcher matcher = EVENT.matcher(messageId.strip());
        return matcher.matches() ? Optional.of(new String[] {matcher.group(1).toLowerCase(java.util.Locale.ROOT), matcher.group(2)})
                : Optional.empty();
    }

    /** Everything accepted so far, in order of acceptance. */
    public List<Mail> all() {
        return new ArrayList<>(accepted);
    }
}
