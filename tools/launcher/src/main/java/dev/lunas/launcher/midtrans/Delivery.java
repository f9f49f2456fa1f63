package dev.lunas.launcher.midtrans;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** One HTTP notification on its way to one URL, with every attempt kept for the ledger. */
public final class Delivery {

    public enum State { SENDING, RETRY_SCHEDULED, DELIVERED, FAILED }

    /** One POST and how it ended: an HTTP status, or the reason there was none. */
    public record Attempt(String at, String url, Integer status, String error) {
    }

    /** What the ledger shows of a delivery. */
    public record View(String transactionStatus, String statusCode, String url, boolean duplicate, String state,
                       List<Attempt> attempts) {
    }

    private final Notification notification;
    private final URI url;
    private final boolean duplicate;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstAnswer = new CompletableFuture<>();
    private final CompletableFuture<State> outcome = new CompletableFuture<>();
    private volatile State state = State.SENDING;

    Delivery(Notification notification, URI url, boolean duplicate) {
        this.notification = notification;
        this.url = url;
        this.duplicate = duplicate;
    }

    Notification notification() {
        return notification;
    }

    URI url() {
        return url;
    }

    boolean duplicate() {
        return duplicate;
    }

    int attemptCount() {
        return attempts.size();
    }

    void attempted(Attempt attempt) {
        attempts.add(attempt);
        firstAnswer.complete(null);
    }

    void retryScheduled() {
        state = State.RETRY_SCHEDULED;
    }

    void finished(State finalState) {
        state = finalState;
        firstAnswer.complete(null);
        outcome.complete(finalState);
    }

    /** Completes once the first attempt has an answer (or none): Midtrans sends the next event after that. */
    CompletableFuture<Void> firstAnswer() {
        return firstAnswer;
    }

    /** Completes with DELIVERED or FAILED once retries are over. */
    public CompletableFuture<State> outcome() {
        return outcome;
    }

    public View view() {
        return new View(notification.transactionStatus(), notification.statusCode(), url.toString(), duplicate,
                state.name().toLowerCase(java.util.Locale.ROOT), List.copyOf(attempts));
    }
}
