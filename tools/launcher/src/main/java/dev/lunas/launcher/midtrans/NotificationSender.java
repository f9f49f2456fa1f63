package dev.lunas.launcher.midtrans;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Posts notifications the way Midtrans's notification engine does (docs/midtrans.md §a, §d): JSON with
 * {@code User-Agent: Veritrans} and no authentication, success on any 2xx, 307/308 followed with the same
 * body (at most five times), 301/302/303 never retried, and otherwise as many retries as Midtrans makes for
 * the answer, on the configured schedule.
 */
final class NotificationSender {

    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final List<Duration> retryDelays;
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<String> events;

    NotificationSender(ScheduledExecutorService scheduler, List<Duration> retryDelays, Duration timeout, Clock clock,
                       Consumer<String> events) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
        this.scheduler = scheduler;
        this.retryDelays = retryDelays;
        this.timeout = timeout;
        this.clock = clock;
        this.events = events;
    }

    /** How many retries Midtrans makes after an answer; {@code null} means there was none (timeout, refused). */
    static int retriesAfter(Integer status) {
        if (status == null) {
            return 5;
        }
        return switch (status) {
            case 500 -> 1;
            case 503 -> 4;
            case 400, 404 -> 2;
            case 301, 302, 303 -> 0;
            default -> 5;
        };
    }

    void send(Delivery delivery) {
        attempt(delivery, delivery.url(), 0, 0);
    }

    private void attempt(Delivery delivery, URI target, int retry, int redirects) {
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", "Veritrans")
                .POST(HttpRequest.BodyPublishers.ofString(delivery.notification().body(), StandardCharsets.UTF_8))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, failure) -> answered(delivery, target, retry, redirects, response, failure));
    }

    private void answered(Delivery delivery, URI target, int retry, int redirects, HttpResponse<Void> response,
                          Throwable failure) {
        Integer status = response == null ? null : response.statusCode();
        String problem = failure == null ? null : describe(failure);
        delivery.attempted(new Delivery.Attempt(clock.instant().toString(), target.toString(), status, problem));
        String outcome = status == null ? "got no answer (" + problem + ")" : "got " + status;
        if (status != null && status / 100 == 2) {
            delivery.finished(Delivery.State.DELIVERED);
            report(delivery, target, outcome);
            return;
        }
        if ((status != null && (status == 307 || status == 308)) && redirects < MAX_REDIRECTS) {
            Optional<URI> location = response.headers().firstValue("Location").map(target::resolve);
            if (location.isPresent()) {
                report(delivery, target, outcome + ", following to " + location.get());
                attempt(delivery, location.get(), retry, redirects + 1);
                return;
            }
        }
        int allowed = Math.min(retriesAfter(status), retryDelays.size());
        if (retry >= allowed) {
            delivery.finished(Delivery.State.FAILED);
            report(delivery, target, outcome + "; giving up after " + delivery.attemptCount() + " attempt(s)");
            return;
        }
        Duration delay = retryDelays.get(retry);
        try {
            scheduler.schedule(() -> attempt(delivery, delivery.url(), retry + 1, 0), delay.toMillis(), TimeUnit.MILLISECONDS);
            delivery.retryScheduled();
            report(delivery, target, outcome + "; retry " + (retry + 1) + " of " + allowed + " in " + readable(delay));
        } catch (RejectedExecutionException stopped) {
            delivery.finished(Delivery.State.FAILED);
        }
    }

    private void report(Delivery delivery, URI target, String outcome) {
        Notification notification = delivery.notification();
        events.accept("order " + notification.orderId() + ": " + (delivery.duplicate() ? "duplicate " : "")
                + notification.transactionStatus() + " notification → " + target + " " + outcome);
    }

    private String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "timed out after " + readable(timeout);
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
