package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.midtrans.Delivery;
import dev.lunas.launcher.midtrans.LedgerEntry;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.systemtest.harness.HttpAnswer;
import dev.lunas.systemtest.harness.MidtransNotifications;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Midtrans "may send multiple notifications for the same transaction event", and an attacker may replay a
 * captured one: the settlement arrives 50 times at once, overtaking the pending notification it follows,
 * while older pending notifications are replayed, and 20 more copies come after the order is paid. The money
 * is counted once: one PaymentSettled, one OrderPaid, one success email, one success WhatsApp message.
 */
@Order(3)
@ExtendWith(SharedSystem.class)
class DuplicateNotificationStormTest {

    private static final int STORM = 50;
    private static final int REPLAYS = 10;
    private static final int LATE_COPIES = 20;

    @Test
    void aStormOfCopiesSettlesTheOrderOnce(SystemUnderTest system) throws Exception {
        CheckoutLedger ledger = new CheckoutLedger(system);
        CheckoutLedger.Entry checkout = ledger.checkout("ai-movie-course");
        assertThat(checkout.status()).as("checkout %s", checkout.answer()).isEqualTo(201);
        String orderId = checkout.orderId().toString();

        LedgerEntry settled = system.simulator().decide(orderId, Outcome.SETTLEMENT);
        String olderPending = MidtransNotifications.signed(settled, "pending", system.midtransServerKey()).toString();
        ExecutorService replayers = Executors.newFixedThreadPool(REPLAYS);
        List<CompletableFuture<HttpAnswer>> replays = new ArrayList<>();
        try {
            system.simulator().resend(orderId, STORM);
            for (int i = 0; i < REPLAYS; i++) {
                replays.add(CompletableFuture.supplyAsync(() -> system.notifyPaymentService(olderPending), replayers));
            }
            for (CompletableFuture<HttpAnswer> replay : replays) {
                assertThat(replay.get().status()).as("a replayed pending notification: %s", replay.get()).isEqualTo(200);
            }
        } finally {
            replayers.shutdownNow();
        }

        Eventually.soon("order PAID").until(() -> system.storefront().order(orderId).json().path("status").asText(),
                "PAID"::equals);
        system.simulator().resend(orderId, LATE_COPIES);

        // the pending, the settlement, the storm and the late copies, each answered by payment-service
        List<Delivery.View> notifications = Eventually.soon("every copy answered").until(
                () -> system.simulator().transaction(orderId).orElseThrow().notifications(),
                views -> views.size() == 2 + STORM + LATE_COPIES && views.stream().allMatch(v -> !v.state().equals("sending")
                        && !v.state().equals("retry_scheduled")));
        // a copy may meet the order's row lock past lock_timeout and be told 503 (retry): never refused, never lost
        assertThat(notifications).allSatisfy(view -> {
            assertThat(view.state()).isEqualTo("delivered");
            assertThat(view.attempts()).allSatisfy(attempt -> assertThat(attempt.status()).isIn(200, 503));
        });

        Ledgers.exactlyOnce(system, ledger, "a duplicate notification storm");
        try (Connection db = system.connect()) {
            assertThat(outboxEvents(db, "payments", orderId, "PaymentSettled")).as("PaymentSettled events").isEqualTo(1);
            assertThat(outboxEvents(db, "orders", orderId, "OrderPaid")).as("OrderPaid events").isEqualTo(1);
            assertThat(inboxRows(db, orderId)).as("facts recorded in payment-service's inbox")
                    .containsExactlyInAnyOrder("pending", "settlement");
        }
        assertThat(system.messages().emailsTo(checkout.customer().email()))
                .extracting(mail -> mail.template().orElseThrow()).containsOnlyOnce("payment-success");
        assertThat(system.messages().whatsAppsTo(checkout.customer().whatsAppNumber()))
                .extracting(chat -> chat.template()).containsOnlyOnce("lunas_payment_success");
        assertThat(system.storefront().entitlements(checkout.customer().email()).json()).hasSize(1);
    }

    private static int outboxEvents(Connection db, String schema, String orderId, String eventType) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "select count(*) from " + schema + ".outbox where aggregate_id = ? and event_type = ?")) {
            query.setString(1, orderId);
            query.setString(2, eventType);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static List<String> inboxRows(Connection db, String orderId) throws SQLException {
        List<String> statuses = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement(
                "select transaction_status from payments.payment_event where order_id = ?")) {
            query.setString(1, orderId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    statuses.add(rows.getString(1));
                }
            }
        }
        return statuses;
    }
}
