package dev.lunas.launcher.midtrans;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.http.Json;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The simulator's record of one order_id: the Snap page while the customer has not chosen a method, then the
 * Midtrans transaction (bank transfer to a BCA virtual account) and its status. All changes go through the
 * methods here under the object's lock.
 */
final class Transaction {

    /** Where the transaction is; only stages with a status code exist for Get Status and notifications. */
    enum Stage {
        AWAITING_CHOICE("awaiting_choice", null),
        PAGE_EXPIRED("page_expired", null),
        PENDING("pending", "201"),
        SETTLEMENT("settlement", "200"),
        DENY("deny", "202"),
        EXPIRE("expire", "202");

        final String status;
        final String statusCode;

        Stage(String status, String statusCode) {
            this.status = status;
            this.statusCode = statusCode;
        }

        boolean existsAtMidtrans() {
            return statusCode != null;
        }

        static Stage of(String status) {
            for (Stage stage : values()) {
                if (stage.status.equals(status)) {
                    return stage;
                }
            }
            throw new IllegalArgumentException("No stage " + status);
        }
    }

    /** Everything the Snap page and the ledger show, read under the lock in one go. */
    record View(String orderId, Stage stage, String token, SnapOrder order, Instant createdAt, Instant pageExpiresAt,
                String transactionId, String vaNumber, Instant transactionTime, Instant paymentExpiresAt,
                Instant settledAt, int snapRequests, int tokensIssued, List<Delivery> deliveries) {
    }

    static final ZoneId WIB = ZoneId.of("Asia/Jakarta");
    static final DateTimeFormatter MIDTRANS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(WIB);
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);

    private final String orderId;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private SnapOrder order;
    private List<URI> notificationUrls;
    private Instant createdAt;
    private Instant pageExpiresAt;
    private String token;
    private int tokensIssued;
    private int snapRequests;
    private Stage stage = Stage.AWAITING_CHOICE;
    private String transactionId;
    private String vaNumber;
    private Instant transactionTime;
    private Instant paymentExpiresAt;
    private Instant settledAt;
    private CompletableFuture<Void> lastNotification = CompletableFuture.completedFuture(null);

    Transaction(String orderId) {
        this.orderId = orderId;
    }

    String orderId() {
        return orderId;
    }

    synchronized Stage stage() {
        return stage;
    }

    synchronized String token() {
        return token;
    }

    synchronized List<URI> notificationUrls() {
        return notificationUrls;
    }

    /** Before a method is chosen (or after the page expired unused) Midtrans issues a new token for the order_id. */
    synchronized boolean acceptsNewToken() {
        return stage == Stage.AWAITING_CHOICE || stage == Stage.PAGE_EXPIRED;
    }

    synchronized void countSnapRequest() {
        snapRequests++;
    }

    /** A new Snap token replaces the old one, which stops working, and restarts the page's lifetime. */
    synchronized void issueToken(SnapOrder newOrder, List<URI> urls, String newToken, Instant now) {
        if (!acceptsNewToken()) {
            throw new IllegalStateException("order " + orderId + " already has a transaction");
        }
        order = newOrder;
        notificationUrls = List.copyOf(urls);
        token = newToken;
        tokensIssued++;
        snapRequests++;
        createdAt = now;
        stage = Stage.AWAITING_CHOICE;
        if (newOrder.pageLifetime() != null) {
            pageExpiresAt = now.plus(newOrder.pageLifetime());
        } else if (newOrder.expiry() != null && newOrder.expiry().start() != null) {
            pageExpiresAt = newOrder.expiry().start().plus(newOrder.expiry().duration());
        } else {
            pageExpiresAt = now.plus(DEFAULT_LIFETIME);
        }
    }

    /** The customer picked bank transfer: the transaction now exists at Midtrans, pending payment into the VA. */
    synchronized Notification choosePaymentMethod(String newTransactionId, String newVaNumber, Instant now,
                                                  String merchantId, String serverKey) {
        if (stage != Stage.AWAITING_CHOICE) {
            throw new IllegalStateException("order " + orderId + " is " + stage.status + ", no payment method can be chosen");
        }
        transactionId = newTransactionId;
        vaNumber = newVaNumber;
        transactionTime = now;
        SnapOrder.Expiry expiry = order.expiry();
        if (expiry == null) {
            paymentExpiresAt = now.plus(DEFAULT_LIFETIME);
        } else {
            paymentExpiresAt = (expiry.start() != null ? expiry.start() : now).plus(expiry.duration());
        }
        stage = Stage.PENDING;
        return notification(merchantId, serverKey);
    }

    /** The pending payment ends: paid, denied or expired. */
    synchronized Notification finish(Stage outcome, Instant now, String merchantId, String serverKey) {
        if (stage != Stage.PENDING) {
            throw new IllegalStateException("order " + orderId + " is " + stage.status + ", not pending");
        }
        if (outcome == Stage.SETTLEMENT) {
            settledAt = now;
        }
        stage = outcome;
        return notification(merchantId, serverKey);
    }

    /** The page expired before a method was chosen: Midtrans sends nothing, and Get Status stays 404. */
    synchronized void expirePage() {
        if (stage == Stage.AWAITING_CHOICE) {
            stage = Stage.PAGE_EXPIRED;
        }
    }

    synchronized boolean pageExpired(Instant now) {
        return stage == Stage.AWAITING_CHOICE && !now.isBefore(pageExpiresAt);
    }

    synchronized boolean paymentExpired(Instant now) {
        return stage == Stage.PENDING && !now.isBefore(paymentExpiresAt);
    }

    /** The current status as a notification: the same fields and bytes every time it is asked for. */
    synchronized Notification notification(String merchantId, String serverKey) {
        return new Notification(orderId, stage.status, stage.statusCode,
                Json.write(statusBody("midtrans payment notification", merchantId, serverKey)));
    }

    /**
     * The body of a notification or a Get Status answer (they differ only in {@code status_message}), in the
     * field order of the official BCA virtual account samples (docs/midtrans.md §a).
     */
    synchronized ObjectNode statusBody(String statusMessage, String merchantId, String serverKey) {
        if (!stage.existsAtMidtrans()) {
            throw new IllegalStateException("order " + orderId + " has no transaction at Midtrans yet");
        }
        String grossAmount = BigDecimal.valueOf(order.grossAmount()).setScale(2).toPlainString();
        ObjectNode body = Json.object();
        body.putArray("va_numbers").addObject().put("va_number", vaNumber).put("bank", "bca");
        body.put("transaction_time", MIDTRANS_TIME.format(transactionTime));
        body.put("transaction_status", stage.status);
        body.put("transaction_id", transactionId);
        body.put("status_message", statusMessage);
        body.put("status_code", stage.statusCode);
        body.put("signature_key", Signature.of(orderId, stage.statusCode, grossAmount, serverKey));
        if (settledAt != null) {
            body.put("settlement_time", MIDTRANS_TIME.format(settledAt));
        }
        body.put("payment_type", "bank_transfer");
        body.putArray("payment_amounts");
        body.put("order_id", orderId);
        body.put("merchant_id", merchantId);
        body.put("gross_amount", grossAmount);
        body.put("fraud_status", stage == Stage.DENY ? "deny" : "accept");
        body.put("expiry_time", MIDTRANS_TIME.format(paymentExpiresAt));
        body.put("currency", "IDR");
        return body;
    }

    /** Runs {@code send} once the previously queued notification of this transaction has had its first answer. */
    synchronized void afterPreviousNotification(Supplier<CompletableFuture<Void>> send) {
        lastNotification = lastNotification.thenCompose(ignored -> send.get()).exceptionally(failure -> null);
    }

    void delivered(Delivery delivery) {
        deliveries.add(delivery);
    }

    synchronized View view() {
        return new View(orderId, stage, token, order, createdAt, pageExpiresAt, transactionId, vaNumber,
                transactionTime, paymentExpiresAt, settledAt, snapRequests, tokensIssued, List.copyOf(deliveries));
    }

    synchronized String transactionId() {
        return transactionId;
    }
}
