package dev.lunas.notification;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.lunas.notification.testing.Outbox.deliveries;
import static dev.lunas.notification.testing.Outbox.deliveryStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lunas.common.event.Customer;
import dev.lunas.common.event.EventTypes;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.service.RelayService;
import dev.lunas.notification.testing.Mailbox;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import dev.lunas.notification.testing.Outbox.Event;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class DeliveryFlowTest {

    private static final String MESSAGES = "/v21.0/" + NotificationPeers.PHONE_NUMBER_ID + "/messages";

    @Inject
    RelayService relay;

    @Test
    void paymentInstructionsGoOutOnceByEmailAndWhatsApp() throws Exception {
        UUID orderId = UUID.randomUUID();
        Customer customer = Outbox.customer("+6281234567890");
        Event event = Event.of(EventTypes.PAYMENT_REQUESTED, orderId, Outbox.paymentInstructions(orderId, customer));

        Outbox.insert("orders", event);

        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(event.eventId()).stream()
                .allMatch(row -> "SENT".equals(row.get("status"))) && deliveries(event.eventId()).size() == 2);
        assertThat(Outbox.sourceRow("orders", event.eventId()).orElseThrow()).containsEntry("status", "SENT");

        List<MimeMessage> mails = Mailbox.to(customer.email());
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails.get(0);
        assertThat(mail.getSubject()).contains("Selesaikan pembayaran").contains("Buat Film Pakai AI");
        assertThat(mail.getMessageID()).isEqualTo("<" + event.eventId() + ".payment-instructions@lunas.local>");
        Multipart parts = (Multipart) mail.getContent();
        String text = partOf(parts, "text/plain");
        String html = partOf(parts, "text/html");
        assertThat(text).contains("Halo Budi Santoso", "Rp 99.000", "21 November 2026 pukul 18.00 WIB",
                "https://app.sandbox.midtrans.com/snap/v4/redirection/" + orderId, orderId.toString());
        assertThat(html).contains("<a href=\"https://app.sandbox.midtrans.com/snap/v4/redirection/" + orderId + "\"",
                "Rp 99.000");

        List<LoggedRequest> whatsapp = whatsAppRequestsTo("6281234567890", orderId);
        assertThat(whatsapp).hasSize(1);
        assertThat(whatsapp.get(0).getHeader("Authorization")).isEqualTo("Bearer " + NotificationPeers.WHATSAPP_TOKEN);
        JsonNode body = Outbox.JSON.readTree(whatsapp.get(0).getBodyAsString());
        assertThat(body.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(body.path("type").asText()).isEqualTo("template");
        assertThat(body.path("template").path("name").asText()).isEqualTo("lunas_payment_instructions");
        assertThat(body.path("template").path("language").path("code").asText()).isEqualTo("id");
        assertThat(body.path("template").path("components").path(0).path("parameters").findValuesAsText("text"))
                .containsExactly("Budi Santoso", "Buat Film Pakai AI", "Rp 99.000", "21 November 2026 pukul 18.00 WIB",
                        "https://app.sandbox.midtrans.com/snap/v4/redirection/" + orderId);
    }

    @Test
    void concurrentRelaysAndARepeatedEventStillSendEachMessageOnce() {
        List<Event> events = new ArrayList<>();
        List<Customer> customers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            UUID orderId = UUID.randomUUID();
            Customer customer = Outbox.customer("+62812000" + String.format("%05d", i));
            customers.add(customer);
            events.add(Event.of(EventTypes.ORDER_PAID, orderId, Outbox.orderPaid(orderId, customer)));
        }

        Outbox.insert("orders", events.toArray(Event[]::new));
        // the NOTIFY-woken relay races two more relays started by hand
        Uni.join().all(relay.relayBatch("orders"), relay.relayBatch("orders")).andFailFast()
                .await().atMost(Duration.ofSeconds(10));
        // the same event arriving again, through the other producer's outbox
        Outbox.insert("payments", new Event(events.get(0).eventId(), EventTypes.ORDER_PAID, "order",
                events.get(0).aggregateId(), events.get(0).payload()));

        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().allMatch(event ->
                "SENT".equals(deliveryStatus(event.eventId(), "EMAIL"))
                        && "SENT".equals(deliveryStatus(event.eventId(), "WHATSAPP"))));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "SENT".equals(Outbox.sourceRow("payments", events.get(0).eventId()).orElseThrow().get("status")));

        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            assertThat(deliveries(event.eventId())).extracting(row -> row.get("channel") + "/" + row.get("template"))
                    .containsExactly("EMAIL/payment-success", "WHATSAPP/payment-success");
            assertThat(Mailbox.to(customers.get(i).email())).hasSize(1);
            assertThat(whatsAppRequestsTo(customers.get(i).phone().substring(1), UUID.fromString(event.aggregateId())))
                    .hasSize(1);
        }
    }

    @Test
    void everyCustomerMessageSpeaksIndonesianWithItsLinks() throws Exception {
        UUID paidOrder = UUID.randomUUID();
        Customer payer = Outbox.customer("+6281222223333");
        Event paid = Event.of(EventTypes.ORDER_PAID, paidOrder, Outbox.orderPaid(paidOrder, payer));
        UUID lateOrder = UUID.randomUUID();
        Customer late = Outbox.customer("+6281244445555");
        Event reminder = Event.of(EventTypes.PAYMENT_REMINDER_DUE, lateOrder, Outbox.paymentInstructions(lateOrder, late));
        Event expired = Event.of(EventTypes.ORDER_EXPIRED, lateOrder, new dev.lunas.common.event.OrderExpired(lateOrder,
                "ai-movie-course", "Buat Film Pakai AI", 99_000, "IDR", java.time.Instant.parse("2026-11-21T11:00:00Z"),
                late));

        Outbox.insert("orders", paid, reminder, expired);

        await().atMost(Duration.ofSeconds(10)).until(() -> Mailbox.to(payer.email()).size() == 1
                && Mailbox.to(late.email()).size() == 2
                && "SENT".equals(deliveryStatus(reminder.eventId(), "WHATSAPP")));
        MimeMessage success = Mailbox.to(payer.email()).get(0);
        assertThat(success.getSubject()).startsWith("Pembayaran berhasil");
        assertThat(partOf((Multipart) success.getContent(), "text/plain")).contains("Rp 99.000", paidOrder.toString(),
                "https://kursus.example.com/masuk", "http://localhost:3000/bantuan", "Akses kursus Anda sudah aktif");
        assertThat(partOf((Multipart) success.getContent(), "text/html"))
                .contains("<a href=\"https://kursus.example.com/masuk\"");
        List<String> lateSubjects = new ArrayList<>();
        for (MimeMessage mail : Mailbox.to(late.email())) {
            lateSubjects.add(mail.getSubject());
        }
        assertThat(lateSubjects).anyMatch(subject -> subject.startsWith("Pengingat"))
                .anyMatch(subject -> subject.contains("kedaluwarsa"));
        assertThat(deliveries(expired.eventId())).extracting(row -> row.get("channel"))
                .as("the expiry notice goes by email only").containsExactly("EMAIL");
        JsonNode whatsapp = Outbox.JSON.readTree(whatsAppRequestsTo("6281244445555", lateOrder).get(0).getBodyAsString());
        assertThat(whatsapp.path("template").path("name").asText()).isEqualTo("lunas_payment_reminder");
    }

    @Test
    void paymentResultReachesOrderServiceOnceWithTheRelayToken() throws Exception {
        UUID orderId = UUID.randomUUID();
        Event event = Event.of(EventTypes.PAYMENT_SETTLED, orderId, Outbox.settlement(orderId));

        Outbox.insert("payments", event);

        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(deliveryStatus(event.eventId(), "INTERNAL")));
        List<LoggedRequest> calls = NotificationPeers.wireMock().findAll(postRequestedFor(
                urlEqualTo("/internal/payment-events"))
                .withRequestBody(matchingJsonPath("$.eventId", equalTo(event.eventId().toString()))));
        assertThat(calls).hasSize(1);
        LoggedRequest call = calls.get(0);
        // its own credential (LUNAS_RELAY_TOKEN), not the service token every service shares
        assertThat(call.getHeader("Authorization")).isEqualTo("Bearer test-relay-token");
        assertThat(call.getHeader("X-Correlation-Id")).isEqualTo(event.eventId().toString());
        JsonNode envelope = Outbox.JSON.readTree(call.getBodyAsString());
        assertThat(envelope.path("eventType").asText()).isEqualTo("PaymentSettled");
        assertThat(envelope.path("aggregateType").asText()).isEqualTo("payment");
        assertThat(envelope.path("aggregateId").asText()).isEqualTo(orderId.toString());
        assertThat(envelope.path("occurredAt").asText()).isNotBlank();
        assertThat(envelope.path("payload").path("transactionStatus").asText()).isEqualTo("settlement");
        assertThat(envelope.path("payload").path("grossAmount").asLong()).isEqualTo(99_000);
        assertThat(deliveries(event.eventId())).hasSize(1);
    }

    @Test
    void anEventWithoutMessagesIsRelayedAndSendsNothing() {
        UUID orderId = UUID.randomUUID();
        Event event = Event.of(EventTypes.ORDER_CREATED, orderId,
                new dev.lunas.common.event.OrderCreated(orderId, "ai-movie-course", 99_000, "IDR", java.time.Instant.now()));

        Outbox.insert("orders", event);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                "SENT".equals(Outbox.sourceRow("orders", event.eventId()).orElseThrow().get("status")));
        assertThat(deliveries(event.eventId())).isEmpty();
    }

    @Test
    void anOpsAlertWithoutAlertAddressIsSkippedAndCounted() {
        double skippedBefore = skippedAlerts();
        UUID orderId = UUID.randomUUID();
        Event event = Event.of(EventTypes.OPS_ALERT, orderId, Outbox.alert(orderId));

        Outbox.insert("orders", event);

        await().atMost(Duration.ofSeconds(10)).until(() -> "SKIPPED".equals(deliveryStatus(event.eventId(), "EMAIL")));
        assertThat(Outbox.delivery(event.eventId(), "EMAIL").get("last_error").toString()).contains("ALERT_EMAIL");
        assertThat(Outbox.delivery(event.eventId(), "EMAIL")).containsEntry("attempts", 0);
        // counted after the relay's commit
        await().atMost(Duration.ofSeconds(10)).until(() -> skippedAlerts() >= skippedBefore + 1);
    }

    private static double skippedAlerts() {
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = Pattern.compile("(?m)^notification_skipped_total\\{channel=\"EMAIL\",service=\"notification-service\","
                + "template=\"ops-alert\"} (\\S+)$").matcher(metrics);
        assertThat(line.find()).as("notification_skipped_total{channel=\"EMAIL\",template=\"ops-alert\"}").isTrue();
        return Double.parseDouble(line.group(1));
    }

    static List<LoggedRequest> whatsAppRequestsTo(String digits, UUID orderId) {
        return NotificationPeers.wireMock().findAll(postRequestedFor(urlEqualTo(MESSAGES))
                .withRequestBody(matchingJsonPath("$.to", equalTo(digits))))
                .stream().filter(request -> request.getBodyAsString().contains(orderId.toString())).toList();
    }

    private static String partOf(Multipart parts, String type) throws Exception {
        for (int i = 0; i < parts.getCount(); i++) {
            var part = parts.getBodyPart(i);
            if (part.getContent() instanceof Multipart nested) {
                String found = partOf(nested, type);
                if (found != null) {
                    return found;
                }
            } else if (part.isMimeType(type)) {
                return part.getContent().toString();
            }
        }
        return null;
    }
}
