package dev.lunas.systemtest.faults;

import dev.lunas.systemtest.harness.CapturedMessages.CaughtMail;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When the copies of duplicated mails reached the sink, relative to a moment of the scenario (the SMTP server
 * coming back, a fix): what tells a send abandoned at its timeout yet still on its way from a plain retry.
 */
final class DuplicateTimes {

    private DuplicateTimes() {
    }

    /** For the duplicated mails among {@code keys}: how many, and when their copies arrived after {@code since}. */
    static String after(SystemUnderTest system, Set<String> keys, Instant since) {
        Map<String, List<Instant>> arrivals = system.messages().caughtMails().stream()
                .filter(mail -> keys.contains(mail.key()))
                .collect(Collectors.groupingBy(CaughtMail::key, Collectors.mapping(CaughtMail::receivedAt, Collectors.toList())));
        List<List<Instant>> duplicated = arrivals.values().stream().filter(times -> times.size() > 1)
                .map(times -> times.stream().sorted().toList()).toList();
        if (duplicated.isEmpty()) {
            return "none";
        }
        List<Double> first = duplicated.stream().map(times -> seconds(since, times.get(0))).sorted().toList();
        List<Double> second = duplicated.stream().map(times -> seconds(since, times.get(1))).sorted().toList();
        return String.format(Locale.ROOT, "%d mails; first copies %.1f … %.1f s, second copies %.1f … %.1f s after it",
                duplicated.size(), first.get(0), first.get(first.size() - 1), second.get(0), second.get(second.size() - 1));
    }

    private static double seconds(Instant since, Instant at) {
        return Duration.between(since, at).toMillis() / 1000.0;
    }
}
