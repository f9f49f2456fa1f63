package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.systemtest.harness.CapturedMessages.Email;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.ReconciliationReport;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Payments that do not arrive: Midtrans denies one (the order FAILS) and lets another expire (the order
 * EXPIRES and the customer is told). Either way the one place of a limited package comes back on sale, no
 * access is granted, and no success message is sent.
 */
@Order(2)
@ExtendWith(SharedSystem.class)
class FailedAndExpiredPaymentTest {

    private static final String PACKAGE_NAME = "Kelas Terbatas Sinematografi";

    @Test
    void aDeniedAndAnExpiredPaymentReleaseTheQuotaAndGrantNothing(SystemUnderTest system) {
        String packageId = "kelas-terbatas-" + UUID.randomUUID().toString().substring(0, 8);
        system.addPackage(packageId, PACKAGE_NAME, 150_000, 1);
        CheckoutLedger ledger = new CheckoutLedger(system);

        CheckoutLedger.Entry denied = ledger.checkout(packageId);
        assertThat(denied.status()).as("checkout %s", denied.answer()).isEqualTo(201);
        assertThat(remainingQuota(system, packageId)).isZero();
        CheckoutLedger.Entry turnedAway = ledger.checkout(packageId);
        assertThat(turnedAway.status()).as("the only place is taken").isEqualTo(409);
        assertThat(turnedAway.answer().json().path("type").asText()).endsWith("/sold-out");

        system.simulator().decide(denied.orderId().toString(), Outcome.DENY);
        Eventually.soon("denied order FAILED").until(() -> system.storefront().order(denied.orderId().toString()).json()
                .path("status").asText(), "FAILED"::equals);
        Eventually.soon("the place released").until(() -> remainingQuota(system, packageId), remaining -> remaining == 1);

        CheckoutLedger.Entry expired = ledger.checkout(packageId);
        assertThat(expired.status()).as("the released place sells again: %s", expired.answer()).isEqualTo(201);
        system.simulator().decide(expired.orderId().toString(), Outcome.EXPIRE);
        Eventually.soon("unpaid order EXPIRED").until(() -> system.storefront().order(expired.orderId().toString()).json()
                .path("status").asText(), "EXPIRED"::equals);
        Eventually.soon("the place released again").until(() -> remainingQuota(system, packageId), remaining -> remaining == 1);

        ReconciliationReport report = Ledgers.exactlyOnce(system, ledger, "a denied and an expired payment");
        // instructions to both customers, the expiry notice to the second; nothing else
        assertThat(report.count("email").expected()).isEqualTo(3);
        assertThat(report.count("whatsapp").expected()).isEqualTo(2);

        List<Email> deniedMails = system.messages().emailsTo(denied.customer().email());
        assertThat(deniedMails).extracting(mail -> mail.template().orElseThrow()).containsExactly("payment-instructions");
        List<Email> expiredMails = system.messages().emailsTo(expired.customer().email());
        assertThat(expiredMails).extracting(mail -> mail.template().orElseThrow())
                .containsExactly("payment-instructions", "order-expired");
        Email notice = expiredMails.get(1);
        assertThat(notice.subject()).contains(PACKAGE_NAME);
        assertThat(notice.text()).contains(expired.customer().name(), PACKAGE_NAME, expired.orderId().toString(), "Rp 150.000");
        for (CheckoutLedger.Entry entry : List.of(denied, expired)) {
            assertThat(system.messages().whatsAppsTo(entry.customer().whatsAppNumber()))
                    .extracting(chat -> chat.template()).containsExactly("lunas_payment_instructions");
            assertThat(system.storefront().entitlements(entry.customer().email()).json()).as("access").isEmpty();
        }
    }

    private static int remainingQuota(SystemUnderTest system, String packageId) {
        for (JsonNode offer : system.storefront().packages().json()) {
            if (offer.path("id").asText().equals(packageId)) {
                return offer.path("remainingQuota").asInt();
            }
        }
        throw new AssertionError("Package " + packageId + " is not on sale");
    }
}
