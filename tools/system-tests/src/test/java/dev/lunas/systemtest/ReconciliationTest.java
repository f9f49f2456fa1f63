package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.systemtest.harness.CapturedMessages.Email;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.Reconciliation;
import dev.lunas.systemtest.ledger.ReconciliationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger is what every other scenario trusts, so it is shown to notice what it exists to notice: a
 * message the mail server got twice, and a payment result order-service never applied. Runs last, because
 * it damages its own order's records on purpose.
 */
@Order(8)
@ExtendWith(SharedSystem.class)
class ReconciliationTest {

    @Test
    void aDuplicatedMailAndALostPaymentResultAreCounted(SystemUnderTest system) throws Exception {
        CheckoutLedger ledger = new CheckoutLedger(system);
        CheckoutLedger.Entry checkout = ledger.checkout("ai-movie-course");
        assertThat(checkout.status()).as("checkout %s", checkout.answer()).isEqualTo(201);
        system.simulator().decide(checkout.orderId().toString(), Outcome.SETTLEMENT);
        Ledgers.exactlyOnce(system, ledger, "an order whose records are then damaged");

        Email success = system.messages().emailsTo(checkout.customer().email()).stream()
                .filter(mail -> mail.template().orElseThrow().equals("payment-success")).findFirst().orElseThrow();
        Path mail = system.runDirectory().resolve("outbox/mail").resolve(success.id() + ".eml");
        Files.copy(mail, mail.resolveSibling(success.id().replaceFirst("-[0-9]{6}-", "-999999-") + ".eml"));

        ReconciliationReport duplicated = Reconciliation.of(system, ledger);
        assertThat(duplicated.count("email").duplicates()).isEqualTo(1);
        assertThat(duplicated.lost()).isZero();
        assertThat(duplicated.balanced(0)).isFalse();
        assertThat(duplicated.balanced(1)).isTrue();

        try (Connection db = system.connect();
             PreparedStatement forget = db.prepareStatement("delete from orders.processed_event where event_id ="
                     + " (select event_id from payments.outbox where aggregate_id = ? and event_type = 'PaymentSettled')")) {
            forget.setString(1, checkout.orderId().toString());
            assertThat(forget.executeUpdate()).isEqualTo(1);
        }
        ReconciliationReport lost = Reconciliation.of(system, ledger);
        assertThat(lost.count("internal events").lost()).isEqualTo(1);
        assertThatThrownBy(lost::requireExactlyOnce).isInstanceOf(AssertionError.class)
                .hasMessageContaining("internal events: expected 1, lost 1");
    }
}
