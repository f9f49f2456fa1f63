package dev.lunas.launcher.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.http.Json;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which lines of a service's log reach the console and how they read there. The services log JSON
 * (one object per line, with {@code event_type} and {@code order_id} from the MDC); the console shows
 * warnings and errors, business events and the start and stop lines, so a person sees the checkout flow
 * without the noise. Verbose mode shows every line as it is.
 */
final class LogSummary {

    private static final Pattern STACK_FRAME = Pattern.compile("\\s+(at |\\.\\.\\. \\d+ (more|common frames omitted)).*");
    private static final Set<String> ALWAYS_SHOWN = Set.of("WARN", "WARNING", "ERROR", "FATAL", "SEVERE");

    private final boolean verbose;

    LogSummary(boolean verbose) {
        this.verbose = verbose;
    }

    Optional<String> summarize(String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        if (!line.startsWith("{")) {
            return verbose ? Optional.of(line) : Optional.empty();
        }
        JsonNode entry;
        try {
            entry = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            return verbose ? Optional.of(line) : Optional.empty();
        }
        String level = entry.path("level").asText("INFO").toUpperCase(Locale.ROOT);
        String message = entry.path("message").asText();
        JsonNode mdc = entry.path("mdc");
        String eventType = mdc.path("event_type").asText("");
        boolean lifecycle = entry.path("loggerName").asText().equals("io.quarkus")
                && (message.contains(" started in ") || message.contains(" stopped in "));
        if (!verbose && !ALWAYS_SHOWN.contains(level) && eventType.isEmpty() && !lifecycle) {
            return Optional.empty();
        }
        StringBuilder shown = new StringBuilder();
        if (!"INFO".equals(level)) {
            shown.append(level).append(' ');
        }
        if (!eventType.isEmpty()) {
            shown.append('[').append(eventType);
            String orderId = mdc.path("order_id").asText("");
            if (!orderId.isEmpty()) {
                shown.append(" order ").append(orderId);
            }
            shown.append("] ");
        }
        shown.append(message);
        JsonNode exception = entry.path("exception");
        if (!exception.isMissingNode()) {
            shown.append(" — ").append(describe(exception));
            JsonNode root = exception;
            while (root.path("causedBy").path("exception").isObject()) {
                root = root.path("causedBy").path("exception");
            }
            if (root != exception) {
                shown.append(" (caused by ").append(describe(root)).append(')');
            }
        }
        return Optional.of(shown.toString());
    }

    private static String describe(JsonNode exception) {
        String cause = exception.path("message").asText("");
        return exception.path("exceptionType").asText("exception") + (cause.isEmpty() ? "" : ": " + cause);
    }

    /**
     * What of a log explains why a service did not start: every line as verbose mode shows it, minus stack
     * frames, so the error and its "Caused by" lines are what remains; the last {@code count} of them.
     */
    static List<String> failureReport(List<String> logLines, int count) {
        LogSummary everything = new LogSummary(true);
        List<String> report = logLines.stream()
                .filter(line -> !STACK_FRAME.matcher(line).matches())
                .map(everything::summarize)
                .flatMap(Optional::stream)
                .toList();
        return report.subList(Math.max(0, report.size() - count), report.size());
    }
}
