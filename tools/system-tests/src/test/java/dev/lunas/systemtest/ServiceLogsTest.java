package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.systemtest.harness.Customer;
import dev.lunas.systemtest.harness.ServiceLogs;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What operators get from the production logs, read after every other scenario of the run (restarts and the
 * {@code kill -9} included): JSON lines only; the business events of an order findable by its id, each with
 * its event type and component; and not one customer email address or phone number in the clear.
 */
@Order(7)
@ExtendWith(SharedSystem.class)
class ServiceLogsTest {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /**
     * An Indonesian mobile number as the services hold it (E.164, or its digits); the forms the customers typed
     * are looked for one by one. Not part of a longer token, so ids (UUIDs, VA numbers) do not count.
     */
    private static final Pattern PHONE = Pattern.compile("(?<![0-9A-Za-z-])(\\+?62|0)8[0-9]{8,11}(?![0-9A-Za-z])");
    /** The shop's own domain (sender, alert address, Message-IDs): configuration, not personal data. */
    private static final String SHOP_DOMAIN = "@lunas.test";

    @Test
    void theLogsAreJsonLinesThatTraceAnOrderAndHideContactData(SystemUnderTest system) {
        CheckoutLedger ledger = new CheckoutLedger(system);
        CheckoutLedger.Entry checkout = ledger.checkout("ai-movie-course");
        assertThat(checkout.status()).as("checkout %s", checkout.answer()).isEqualTo(201);
        String orderId = checkout.orderId().toString();
        system.simulator().decide(orderId, Outcome.SETTLEMENT);
        Ledgers.exactlyOnce(system, ledger, "an order traced through the logs");

        ServiceLogs logs = system.logs();
        assertThat(logs.files()).as("log files").hasSizeGreaterThanOrEqualTo(6);
        assertThat(logs.nonJsonLines()).as("lines of the JSON logs that are not JSON").isEmpty();

        Map<String, Set<String>> eventsByService = new HashMap<>();
        for (JsonNode record : logs.records()) {
            JsonNode mdc = record.path("mdc");
            if (orderId.equals(mdc.path("order_id").asText())) {
                assertThat(mdc.path("event_type").asText()).as("event_type of %s", record).isNotBlank();
                assertThat(mdc.path("component").asText()).as("component of %s", record).isNotBlank();
                eventsByService.computeIfAbsent(record.path("service").asText(), s -> new HashSet<>())
                        .add(mdc.path("event_type").asText());
            }
        }
        assertThat(eventsByService.get("order-service")).as("order-service's events of the order")
                .contains("ORDER_CREATED", "PAYMENT_REQUESTED", "ORDER_PAID", "ENTITLEMENT_GRANTED");
        assertThat(eventsByService.get("payment-service")).as("payment-service's events of the order")
                .contains("PAYMENT_ATTEMPT_CREATED", "SNAP_TOKEN_ISSUED", "WEBHOOK_VERIFIED");
        assertThat(eventsByService.get("notification-service")).as("notification-service's events of the order")
                .contains("OUTBOX_RELAYED", "NOTIFICATION_SENT");

        // the services do write contact data about this customer, masked: the scan below looks where a leak would be
        Customer traced = checkout.customer();
        String maskedEmail = traced.email().charAt(0) + "***" + traced.email().substring(traced.email().indexOf('@'));
        String maskedPhone = "+62***" + traced.e164().substring(traced.e164().length() - 4);
        assertThat(logs.lines()).as("lines with the masked contact data of the traced order's customer")
                .anyMatch(line -> line.text().contains(maskedEmail) && line.text().contains(maskedPhone));

        List<String> leaks = new ArrayList<>();
        List<Customer> customers = system.customers().issued();
        for (ServiceLogs.Line line : logs.lines()) {
            String text = line.text().toLowerCase(Locale.ROOT);
            for (Customer customer : customers) {
                for (String contact : List.of(customer.email().toLowerCase(Locale.ROOT), customer.phone(), customer.e164(),
                        customer.whatsAppNumber(), customer.phone().replace("-", ""))) {
                    if (text.contains(contact)) {
                        leaks.add(line + " (" + contact + ")");
                    }
                }
            }
            Matcher email = EMAIL.matcher(line.text());
            while (email.find()) {
                if (!email.group().toLowerCase(Locale.ROOT).endsWith(SHOP_DOMAIN)) {
                    leaks.add(line + " (" + email.group() + ")");
                }
            }
            Matcher phone = PHONE.matcher(line.text());
            while (phone.find()) {
                leaks.add(line + " (" + phone.group() + ")");
            }
        }
        assertThat(leaks).as("contact data in the clear in the services' logs").isEmpty();
    }
}
