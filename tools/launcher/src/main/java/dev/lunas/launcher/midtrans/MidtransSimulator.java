package dev.lunas.launcher.midtrans;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.http.Exchange;
import dev.lunas.launcher.http.LocalHttpServer;
import dev.lunas.launcher.http.Router;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the Midtrans sandbox that behaves like it (docs/midtrans.md): Snap {@code POST
 * /snap/v1/transactions} and Core API {@code GET /v2/{id}/status} with Basic auth, a Snap payment page where a
 * person plays the customer, and signed HTTP notifications with Midtrans's retry rules and the occasional
 * duplicate. A control API under {@code /simulator} lets scripts do what the customer and Midtrans would do,
 * make the APIs fail or hang, and read the ledger of everything that happened.
 *
 * <p>Start one with {@link #start(SimulatorSettings)}; it serves on the loopback interface until closed.
 */
public final class MidtransSimulator implements AutoCloseable {

    /** The two Midtrans APIs whose failure can be simulated. */
    public enum Api { SNAP, STATUS }

    /** What the customer does on the payment page. */
    public enum Outcome {
        /** Chooses bank transfer and leaves: the transaction is pending. */
        PENDING(Transaction.Stage.PENDING),
        /** Pays: pending, then settlement. */
        SETTLEMENT(Transaction.Stage.SETTLEMENT),
        /** The payment is denied: pending, then deny. */
        DENY(Transaction.Stage.DENY),
        /** Never pays: pending, then expire. */
        EXPIRE(Transaction.Stage.EXPIRE);

        private final Transaction.Stage stage;

        Outcome(Transaction.Stage stage) {
            this.stage = stage;
        }
    }

    private static final int MAX_COPIES = 100;

    private final SimulatorSettings settings;
    private final Map<String, Transaction> byOrderId = new ConcurrentHashMap<>();
    private final Map<String, Transaction> byToken = new ConcurrentHashMap<>();
    private final Map<String, Transaction> byTransactionId = new ConcurrentHashMap<>();
    private final Map<Api, SimulatedFailure> failures = new ConcurrentHashMap<>();
    private final Object registry = new Object();
    private final ScheduledExecutorService scheduler;
    private final NotificationSender sender;
    private final LocalHttpServer server;
    private final URI baseUrl;
    private final Journal journal;

    private MidtransSimulator(SimulatorSettings settings) {
        this.settings = settings;
        this.journal = Journal.at(settings.journal);
        restore();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, task -> {
            Thread thread = new Thread(task, "midtrans-simulator");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        this.sender = new NotificationSender(scheduler, settings.retryDelays, settings.notificationTimeout,
                settings.clock, settings.events);
        Router router = new Router(MidtransSimulator::refuse);
        new MidtransApi(this, settings).addTo(router);
        new SimulatorControl(this).addTo(router);
        this.server = LocalHttpServer.start("Midtrans simulator", settings.port, router);
        this.baseUrl = URI.create("http://" + settings.publicHost + ":" + server.port());
        long sweep = settings.sweepInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    public static MidtransSimulator start(SimulatorSettings settings) {
        return new MidtransSimulator(settings);
    }

    /** Where both Snap and the Core API answer: use it as MIDTRANS_SNAP_BASE_URL and MIDTRANS_API_BASE_URL. */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * Does on the customer's behalf what the payment page offers: chooses bank transfer (notification
     * {@code pending}) unless already chosen, then ends the payment as asked (a second notification).
     *
     * @throws NoSuchElementException when Snap never saw the order_id
     * @throws IllegalStateException  when the payment already ended or its page expired
     */
    public LedgerEntry decide(String orderId, Outcome outcome) {
        Transaction transaction = find(orderId);
        synchronized (transaction) {
            // queued under the lock, so events of one transaction are queued in the order they happened
            notifyInOrder(transaction, advance(transaction, outcome));
        }
        return LedgerEntry.of(transaction.view());
    }

    /**
     * Does what {@link #decide} does, but hands the signed notification bodies (JSON, in the order Midtrans would
     * send them) to the caller instead of sending them: for a load generator that delivers them at its own pace
     * and times the answers. The ledger shows no deliveries for them.
     *
     * @throws NoSuchElementException when Snap never saw the order_id
     * @throws IllegalStateException  when the payment already ended or its page expired
     */
    public List<String> decideAndHandOver(String orderId, Outcome outcome) {
        Transaction transaction = find(orderId);
        synchronized (transaction) {
            return advance(transaction, outcome).stream().map(Notification::body).toList();
        }
    }

    /** Moves the transaction as the customer's choice says (under its lock); the notifications of each step, oldest first. */
    private List<Notification> advance(Transaction transaction, Outcome outcome) {
        String orderId = transaction.orderId();
        Instant now = settings.clock.instant();
        List<Notification> notifications = new ArrayList<>();
        if (transaction.stage() == Transaction.Stage.AWAITING_CHOICE) {
            String transactionId = UUID.randomUUID().toString();
            String vaNumber = "80800" + String.format(Locale.ROOT, "%011d", Math.floorMod(settings.random.nextLong(), 100_000_000_000L));
            notifications.add(transaction.choosePaymentMethod(transactionId, vaNumber, now, settings.merchantId, settings.serverKey));
            byTransactionId.put(transactionId, transaction);
            journal.methodChosen(orderId, transactionId, vaNumber, now);
            settings.events.accept("order " + orderId + ": the customer chose bank transfer to BCA virtual account " + vaNumber);
        } else if (outcome == Outcome.PENDING) {
            throw new IllegalStateException("order " + orderId + " is " + transaction.stage().status + ", not awaiting a choice");
        }
        if (outcome != Outcome.PENDING) {
            notifications.add(transaction.finish(outcome.stage, now, settings.merchantId, settings.serverKey));
            journal.finished(orderId, outcome.stage, now);
            settings.events.accept("order " + orderId + ": payment " + outcome.stage.status);
        }
        return notifications;
    }

    /** Sends the current status notification again, {@code copies} times at once: a duplicate storm. */
    public LedgerEntry resend(String orderId, int copies) {
        if (copies < 1 || copies > MAX_COPIES) {
            throw new IllegalArgumentException("copies must be within 1.." + MAX_COPIES);
        }
        Transaction transaction = find(orderId);
        if (!transaction.stage().existsAtMidtrans()) {
            throw new IllegalStateException("order " + orderId + " has no transaction at Midtrans yet: nothing to notify");
        }
        Notification notification = transaction.notification(settings.merchantId, settings.serverKey);
        for (int i = 0; i < copies; i++) {
            deliverToAll(transaction, notification, true);
        }
        return LedgerEntry.of(transaction.view());
    }

    public Optional<LedgerEntry> transaction(String orderId) {
        return Optional.ofNullable(byOrderId.get(orderId)).map(t -> LedgerEntry.of(t.view()));
    }

    /** Every order_id Snap was asked about, oldest first. */
    public List<LedgerEntry> ledger() {
        return byOrderId.values().stream()
                .map(Transaction::view)
                .sorted(Comparator.comparing(Transaction.View::createdAt).thenComparing(Transaction.View::orderId))
                .map(LedgerEntry::of)
                .toList();
    }

    /** The API answers {@code httpStatus} instead of working, {@code times} times (0: until {@link #recover}). */
    public void fail(Api api, int httpStatus, int times) {
        if (httpStatus < 500 || httpStatus > 599) {
            throw new IllegalArgumentException("a simulated outage answers 5xx, not " + httpStatus);
        }
        replaceFailure(api, SimulatedFailure.error(httpStatus, times));
    }

    /** The API holds each request for {@code hold} before working normally (a slow Midtrans), {@code times} times. */
    public void hang(Api api, Duration hold, int times) {
        if (hold.isNegative() || hold.isZero() || hold.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("hold must be within 1 ms..10 min");
        }
        replaceFailure(api, SimulatedFailure.hang(hold, times));
    }

    /** Ends a simulated failure; requests still being held go on at once. */
    public void recover(Api api) {
        SimulatedFailure previous = failures.remove(api);
        if (previous != null) {
            previous.release();
        }
    }

    /**
     * Expires what Midtrans would expire by now: a page nobody chose a method on (silently, as Midtrans sends
     * nothing then) and a pending payment past its expiry time (notification {@code expire}).
     */
    public void expireOverdue() {
        Instant now = settings.clock.instant();
        for (Transaction transaction : byOrderId.values()) {
            synchronized (transaction) {
                if (transaction.pageExpired(now)) {
                    transaction.expirePage();
                    journal.pageExpired(transaction.orderId(), now);
                    settings.events.accept("order " + transaction.orderId()
                            + ": the payment page expired unused; Midtrans sends no notification for that");
                } else if (transaction.paymentExpired(now)) {
                    Notification expired = transaction.finish(Transaction.Stage.EXPIRE, now, settings.merchantId, settings.serverKey);
                    journal.finished(transaction.orderId(), Transaction.Stage.EXPIRE, now);
                    settings.events.accept("order " + transaction.orderId() + ": payment expire (expiry time reached)");
                    notifyInOrder(transaction, List.of(expired));
                }
            }
        }
    }

    /** Forgets every transaction and simulated failure (deliveries already under way finish on their own). */
    public void reset() {
        synchronized (registry) {
            byOrderId.clear();
            byToken.clear();
            byTransactionId.clear();
            journal.clear();
        }
        for (Api api : Api.values()) {
            recover(api);
        }
    }

    @Override
    public void close() {
        for (Api api : Api.values()) {
            recover(api);
        }
        server.close();
        scheduler.shutdownNow();
        journal.close();
    }

    /** Replays the journal: every transaction as it was when the previous simulator stopped. */
    private void restore() {
        List<Journal.Entry> entries = journal.entries();
        for (Journal.Entry entry : entries) {
            try {
                replay(entry);
            } catch (RuntimeException e) {
                settings.events.accept("journal entry skipped (" + entry.type() + " of order " + entry.orderId() + "): " + e.getMessage());
            }
        }
        if (!byOrderId.isEmpty()) {
            settings.events.accept("remembers " + byOrderId.size() + " transaction(s) from " + settings.journal);
        }
    }

    private void replay(Journal.Entry entry) {
        Transaction transaction = byOrderId.get(entry.orderId());
        JsonNode data = entry.data();
        switch (entry.type()) {
            case "token" -> {
                SnapOrder order = SnapOrder.parse(data.path("request")).order();
                List<URI> urls = new ArrayList<>();
                data.path("notification_urls").forEach(url -> urls.add(URI.create(url.asText())));
                if (transaction == null) {
                    transaction = new Transaction(entry.orderId());
                    byOrderId.put(entry.orderId(), transaction);
                }
                transaction.issueToken(order, urls, data.path("token").asText(), entry.at());
                byToken.put(data.path("token").asText(), transaction);
            }
            case "choose" -> {
                transaction.choosePaymentMethod(data.path("transaction_id").asText(), data.path("va_number").asText(),
                        entry.at(), settings.merchantId, settings.serverKey);
                byTransactionId.put(data.path("transaction_id").asText(), transaction);
            }
            case "finish" -> transaction.finish(Transaction.Stage.of(data.path("status").asText()), entry.at(),
                    settings.merchantId, settings.serverKey);
            case "page_expired" -> transaction.expirePage();
            default -> throw new IllegalArgumentException("unknown entry type");
        }
    }

    // ---- for the HTTP side (MidtransApi, SimulatorControl) ----------------------------------------------------

    /** A new token for the order_id, or empty when Midtrans refuses one because a method was already chosen. */
    Optional<String> issueToken(SnapOrder order, JsonNode request, List<URI> urls) {
        String token = UUID.randomUUID().toString();
        Instant now = settings.clock.instant();
        synchronized (registry) {
            Transaction transaction = byOrderId.get(order.orderId());
            if (transaction == null) {
                Transaction created = new Transaction(order.orderId());
                created.issueToken(order, urls, token, now);
                byToken.put(token, created);
                byOrderId.put(order.orderId(), created);
                journal.tokenIssued(order.orderId(), token, now, request, urls);
                settings.events.accept("order " + order.orderId() + ": Snap token issued for " + SnapPage.rupiah(order.grossAmount()));
                return Optional.of(token);
            }
            synchronized (transaction) {
                if (!transaction.acceptsNewToken()) {
                    transaction.countSnapRequest();
                    settings.events.accept("order " + order.orderId() + ": Snap refused a new token, a payment method was"
                            + " already chosen (400 " + MidtransApi.ORDER_ID_TAKEN + ")");
                    return Optional.empty();
                }
                transaction.issueToken(order, urls, token, now);
                byToken.put(token, transaction);
                journal.tokenIssued(order.orderId(), token, now, request, urls);
                settings.events.accept("order " + order.orderId() + ": Snap token issued for " + SnapPage.rupiah(order.grossAmount())
                        + " (the previous token no longer works)");
            }
        }
        return Optional.of(token);
    }

    Optional<Transaction> byToken(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    /** Get Status takes either id (docs/midtrans.md §e). */
    Optional<Transaction> byOrderOrTransactionId(String id) {
        Transaction transaction = byOrderId.get(id);
        return Optional.ofNullable(transaction != null ? transaction : byTransactionId.get(id));
    }

    Optional<String> currentToken(String orderId) {
        return Optional.ofNullable(byOrderId.get(orderId)).map(Transaction::token);
    }

    /** The failure that applies to this request, if one is active and not used up. */
    Optional<SimulatedFailure> claimFailure(Api api) {
        SimulatedFailure failure = failures.get(api);
        if (failure == null || !failure.take()) {
            return Optional.empty();
        }
        if (failure.exhausted()) {
            failures.remove(api, failure);
        }
        return Optional.of(failure);
    }

    /** The simulated failures in force, by API name. */
    Map<String, SimulatedFailure.View> activeFailures() {
        Map<String, SimulatedFailure.View> active = new LinkedHashMap<>();
        for (Api api : Api.values()) {
            SimulatedFailure failure = failures.get(api);
            if (failure != null) {
                active.put(api.name().toLowerCase(Locale.ROOT), failure.view());
            }
        }
        return active;
    }

    private void replaceFailure(Api api, SimulatedFailure failure) {
        SimulatedFailure previous = failures.put(api, failure);
        if (previous != null) {
            previous.release();
        }
    }

    private static void refuse(Exchange exchange, int status, String reason) throws IOException {
        if (!MidtransApi.refuse(exchange, status, reason)) {
            exchange.json(status, Map.of("error", reason));
        }
    }

    // ---- notifications ------------------------------------------------------------------------------------

    /**
     * Each event of a transaction goes out once the previous one's first attempt has an answer, as Midtrans
     * sends them in turn; retries and duplicates can still make them arrive out of order, as with Midtrans.
     */
    private void notifyInOrder(Transaction transaction, List<Notification> notifications) {
        for (Notification notification : notifications) {
            transaction.afterPreviousNotification(() -> deliverToAll(transaction, notification, false));
        }
    }

    private CompletableFuture<Void> deliverToAll(Transaction transaction, Notification notification, boolean duplicate) {
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        for (URI url : transaction.notificationUrls()) {
            Delivery delivery = new Delivery(notification, url, duplicate);
            transaction.delivered(delivery);
            if (!duplicate) {
                delivery.outcome().thenAccept(state -> duplicateNowAndThen(transaction, delivery, state));
            }
            sender.send(delivery);
            answers.add(delivery.firstAnswer());
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
    }

    /** "In extremely rare cases, we may send multiple notifications for the same transaction event." */
    private void duplicateNowAndThen(Transaction transaction, Delivery original, Delivery.State state) {
        if (state != Delivery.State.DELIVERED || settings.random.nextDouble() >= settings.duplicateRate) {
            return;
        }
        scheduler.schedule(() -> {
            Delivery copy = new Delivery(original.notification(), original.url(), true);
            transaction.delivered(copy);
            sender.send(copy);
        }, settings.duplicateDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            expireOverdue();
        } catch (RuntimeException e) {
            settings.events.accept("expiry sweep failed: " + e);
        }
    }

    private Transaction find(String orderId) {
        Transaction transaction = byOrderId.get(orderId);
        if (transaction == null) {
            throw new NoSuchElementException("Snap has no transaction for order " + orderId);
        }
        return transaction;
    }
}
