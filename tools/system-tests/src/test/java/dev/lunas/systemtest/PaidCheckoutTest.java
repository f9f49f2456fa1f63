package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.systemtest.harness.CapturedMessages.Email;
import dev.lunas.systemtest.harness.CapturedMessages.WhatsApp;
import dev.lunas.systemtest.harness.Customer;
import dev.lunas.systemtest.harness.HttpAnswer;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.ReconciliationReport;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The path every paying customer takes, across the three services: checkout → Snap token → the payment
 * instructions by email and WhatsApp → the customer pays on the Snap page → Midtrans's signed settlement
 * notification → the order PAID → course access for the course platform → the access details by email and
 * WhatsApp, each message exactly once.
 */
@Order(1)
@ExtendWith(SharedSystem.class)
class PaidCheckoutTest {

    private static final String PACKAGE = "ai-movie-course";
    private static final String PACKAGE_NAME = "Buat Film Pakai AI";
    private static final String PRICE = "Rp 99.000";

    @Test
    void aSettledPaymentGrantsAccessAndTellsTheCustomerOnceOnEachChannel(SystemUnderTest system) {
        CheckoutLedger ledger = new CheckoutLedger(system);
        CheckoutLedger.Entry checkout = ledger.checkout(PACKAGE);
        Customer customer = checkout.customer();

        assertThat(checkout.status()).as("checkout %s", checkout.answer()).isEqualTo(201);
        JsonNode order = checkout.answer().json();
        UUID orderId = checkout.orderId();
        assertThat(checkout.answer().header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/orders/" + orderId));
        assertThat(order.path("status").asText()).isEqualTo("PENDING_PAYMENT");
        assertThat(order.path("amount").asLong()).isEqualTo(99_000);
        assertThat(order.path("payment").path("token").asText()).isNotBlank();
        String paymentUrl = checkout.paymentUrl().orElseThrow();
        assertThat(paymentUrl).startsWith(system.simulator().baseUrl().toString());

        // the customer learns how to pay before anything else happens
        Email instructions = Eventually.soon("payment instructions by email").until(
                () -> system.messages().emailsTo(customer.email()), mails -> mails.size() == 1).get(0);
        assertThat(instructions.template()).contains("payment-instructions");
        assertThat(instructions.subject()).contains(PACKAGE_NAME);
        assertThat(instructions.text()).contains(customer.name(), orderId.toString(), PRICE, paymentUrl);
        assertThat(instructions.html()).contains(orderId.toString(), PRICE);
        WhatsApp instructionsChat = Eventually.soon("payment instructions by WhatsApp").until(
                () -> system.messages().whatsAppsTo(customer.whatsAppNumber()), chats -> chats.size() == 1).get(0);
        assertThat(instructionsChat.template()).isEqualTo("lunas_payment_instructions");
        assertThat(instructionsChat.parameters()).hasSize(5);
        assertThat(instructionsChat.parameters().subList(0, 3)).containsExactly(customer.name(), PACKAGE_NAME, PRICE);
        assertThat(instructionsChat.parameters().get(3)).as("deadline").contains("WIB");
        assertThat(instructionsChat.parameters().get(4)).isEqualTo(paymentUrl);

        // ...follows the link from the mail and pays on the Snap page; Midtrans notifies payment-service
        HttpAnswer paid = system.storefront().pressOnPaymentPage(paymentUrl, "pay");
        assertThat(paid.status()).as("the payment page after paying").isEqualTo(303);

        JsonNode paidOrder = Eventually.soon("order PAID").until(() -> system.storefront().order(orderId.toString()).json(),
                view -> view.path("status").asText().equals("PAID"));
        assertThat(paidOrder.path("paidAt").isTextual()).isTrue();
        assertThat(paidOrder.path("payment").isNull()).as("no payment link once paid").isTrue();

        HttpAnswer access = system.storefront().entitlements(customer.email());
        assertThat(access.status()).isEqualTo(200);
        assertThat(access.json()).hasSize(1);
        JsonNode entitlement = access.json().get(0);
        assertThat(entitlement.path("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(entitlement.path("packageId").asText()).isEqualTo(PACKAGE);
        assertThat(entitlement.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(entitlement.path("accessUrl").asText()).isEqualTo(SystemUnderTest.COURSE_ACCESS_URL);
        assertThat(system.storefront().entitlementsWithoutToken(customer.email()).status())
                .as("the course platform's question needs the service token").isEqualTo(401);

        ReconciliationReport report = Ledgers.exactlyOnce(system, ledger, "a paid checkout");
        assertThat(report.count("orders").expected()).isEqualTo(1);
        // OrderCreated, PaymentRequested, PaymentSettled, OrderPaid
        assertThat(report.count("outbox events").expected()).isEqualTo(4);
        assertThat(report.count("email").expected()).isEqualTo(2);
        assertThat(report.count("whatsapp").expected()).isEqualTo(2);
        assertThat(report.count("internal events").expected()).isEqualTo(1);

        List<Email> mails = system.messages().emailsTo(customer.email());
        assertThat(mails).extracting(mail -> mail.template().orElseThrow())
                .containsExactly("payment-instructions", "payment-success");
        Email success = mails.get(1);
        assertThat(success.subject()).contains(PACKAGE_NAME);
        assertThat(success.text()).contains(customer.name(), PRICE, PACKAGE_NAME, orderId.toString(),
                SystemUnderTest.COURSE_ACCESS_URL, SystemUnderTest.SUPPORT_WHATSAPP_URL);
        assertThat(success.html()).contains(PRICE, orderId.toString(), SystemUnderTest.COURSE_ACCESS_URL);

        List<WhatsApp> chats = system.messages().whatsAppsTo(customer.whatsAppNumber());
        assertThat(chats).extracting(WhatsApp::template).containsExactly("lunas_payment_instructions", "lunas_payment_success");
        assertThat(chats.get(1).parameters()).containsExactly(customer.name(), PACKAGE_NAME, orderId.toString(),
                SystemUnderTest.COURSE_ACCESS_URL, SystemUnderTest.SUPPORT_WHATSAPP_URL);
    }
}
