package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.midtrans.Delivery;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.ReconciliationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * notification-service is the only outbox relay: while it is stopped, checkouts and settlements still
 * succeed, but nothing is sent and no order can become PAID (the settlement reaches order-service through
 * it). Once it is started again, everything waiting in the outbox tables goes out, each message once.
 */
@Order(4)
@ExtendWith(SharedSystem.class)
class NotificationServiceOutageTest {

    private static final int ORDERS = 4;

    @Test
    void whatPilesUpWhileTheRelayIsStoppedIsDeliveredOnceWhenItIsBack(SystemUnderTest system) {
        CheckoutLedger ledger = new CheckoutLedger(system);
        system.stop(Service.NOTIFICATION);
        assertThat(system.process(Service.NOTIFICATION).isRunning()).isFalse();

        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            CheckoutLedger.Entry checkout = ledger.checkout("ai-movie-course");
            assertThat(checkout.status()).as("checkout without the relay: %s", checkout.answer()).isEqualTo(201);
            orderIds.add(checkout.orderId().toString());
        }
        orderIds.forEach(orderId -> system.simulator().decide(orderId, Outcome.SETTLEMENT));
        Eventually.soon("payment-service accepted every settlement").until(() -> orderIds.stream()
                .allMatch(orderId -> settlementAccepted(system, orderId)));

        // accepted, recorded, but stuck in payments.outbox: the orders cannot be PAID and nobody was told
        for (String orderId : orderIds) {
            assertThat(system.storefront().order(orderId).json().path("status").asText()).isEqualTo("PENDING_PAYMENT");
        }
        for (CheckoutLedger.Entry entry : ledger.entries()) {
            assertThat(system.messages().emailsTo(entry.customer().email())).isEmpty();
            assertThat(system.messages().whatsAppsTo(entry.customer().whatsAppNumber())).isEmpty();
        }

        system.start(Service.NOTIFICATION);

        Eventually.soon("every order PAID").until(() -> orderIds.stream()
                .allMatch(orderId -> system.storefront().order(orderId).json().path("status").asText().equals("PAID")));
        ReconciliationReport report = Ledgers.exactlyOnce(system, ledger, "notification-service stopped and started");
        assertThat(report.count("email").expected()).isEqualTo(2 * ORDERS);
        assertThat(report.count("whatsapp").expected()).isEqualTo(2 * ORDERS);
        assertThat(report.count("internal events").expected()).isEqualTo(ORDERS);
        for (String orderId : orderIds) {
            assertThat(system.storefront().entitlements(ledger.customerOf(UUID.fromString(orderId)).email()).json())
                    .hasSize(1);
        }
    }

    private static boolean settlementAccepted(SystemUnderTest system, String orderId) {
        return system.simulator().transaction(orderId).orElseThrow().notifications().stream()
                .filter(view -> view.transactionStatus().equals("settlement"))
                .map(Delivery.View::attempts)
                .flatMap(List::stream)
                .anyMatch(attempt -> attempt.status() != null && attempt.status() / 100 == 2);
    }
}
