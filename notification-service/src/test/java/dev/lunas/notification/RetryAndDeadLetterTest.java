package dev.lunas.notification;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.lunas.notification.testing.Outbox.delivery;
import static dev.lunas.notification.testing.Outbox.deliveryStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.lunas.common.event.Customer;
import dev.lunas.common.event.EventTypes;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.service.BackoffPolicy;
import dev.lunas.notification.testing.Mailbox;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import dev.lunas.notification.testing.Outbox.Event;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class RetryAndDeadLetterTest {

    private static final String MESSAGES = "/v21.0/" + NotificationPeers.PHONE_NUMBER_ID + "/messages";
    private static final String ADMIN = "dev-admin-token";

    @Inject
    BackoffPolicy backoff;

    @Test
    void smtpDownRetriesOnTheBackoffScheduleThenDiesAndARequeueSendsItOnce() throws Exception {
        UUID orderId = UUID.randomUUID();
        Customer customer = Outbox.customer("+6281311112222");
        Event event = Event.of(EventTypes.PAYMENT_REQUESTED, orderId, Outbox.paymentInstructions(orderId, customer));

        NotificationPeers.smtp().down();
        try {
            Outbox.insert("orders", event);
            await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(deliveryStatus(event.eventId(), "EMAIL")));
            // the other channel is not held up by the dead one
            await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(deliveryStatus(event.eventId(), "WHATSAPP")));
        } finally {
            NotificationPeers.smtp().up();
        }

        Map<String, Object> dead = delivery(event.eventId(), "EMAIL");
        assertThat(dead).containsEntry("attempts", 3).containsEntry("max_attempts", 3);
        assertThat(dead.get("locked_by")).isNull();
        JsonNode history = Outbox.JSON.readTree((String) dead.get("errors"));
        assertThat(history).hasSize(3);
        List<OffsetDateTime> failedAt = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            JsonNode entry = history.get(attempt - 1);
            assertThat(entry.path("attempt").asInt()).isEqualTo(attempt);
            assertThat(entry.path("permanent").asBoolean()).isFalse();
            assertThat(entry.path("error").asText()).isNotBlank();
            failedAt.add(OffsetDateTime.parse(entry.path("at").asText()));
        }
        for (int attempt = 1; attempt < 3; attempt++) {
            Duration gap = Duration.between(failedAt.get(attempt - 1), failedAt.get(attempt));
            // equal jitter: never sooner than half the exponential ceiling
            assertThat(gap).isGreaterThanOrEqualTo(backoff.ceiling(attempt).dividedBy(2));
        }
        assertThat(Mailbox.to(customer.email())).isEmpty();

        long id = ((Number) dead.get("id")).longValue();
        given().auth().oauth2(ADMIN).when().post("/admin/deliveries/{id}/requeue", id)
                .then().statusCode(200).body("status", is("RETRY")).body("attempts", is(3));

        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(deliveryStatus(event.eventId(), "EMAIL")));
        assertThat(delivery(event.eventId(), "EMAIL")).containsEntry("attempts", 4);
        assertThat(Mailbox.to(customer.email())).hasSize(1);
        assertThat(Mailbox.to(customer.email()).get(0).getMessageID())
                .isEqualTo("<" + event.eventId() + ".payment-instructions@lunas.local>");
        assertThat(Outbox.query("SELECT actor, action FROM notifications.admin_audit WHERE target = ?", "delivery:" + id))
                .containsExactly(Map.of("actor", "admin", "action", "DELIVERY_REQUEUED"));
    }

    @Test
    void aSlowSendHoldsUpOnlyItsOwnSlot() {
        // held for most of the test's 5 s channel timeout: long enough to see the others pass it
        NotificationPeers.wireMock().stubFor(post(urlEqualTo(MESSAGES)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.to", equalTo("6281377770000")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"messages\":[{\"id\":\"wamid.slow\"}]}").withFixedDelay(4_500)));
        UUID slowOrder = UUID.randomUUID();
        Event slow = Event.of(EventTypes.PAYMENT_REQUESTED, slowOrder,
                Outbox.paymentInstructions(slowOrder, Outbox.customer("+6281377770000")));
        Outbox.insert("orders", slow);
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENDING".equals(deliveryStatus(slow.eventId(), "WHATSAPP")));

        List<Event> others = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            UUID orderId = UUID.randomUUID();
            others.add(Event.of(EventTypes.PAYMENT_REQUESTED, orderId,
                    Outbox.paymentInstructions(orderId, Outbox.customer("+628137777000" + i))));
        }
        Outbox.insert("orders", others.toArray(Event[]::new));

        await().atMost(Duration.ofSeconds(10)).until(() -> others.stream()
                .allMatch(event -> "SENT".equals(deliveryStatus(event.eventId(), "WHATSAPP"))));
        assertThat(deliveryStatus(slow.eventId(), "WHATSAPP")).as("the slow send is still on its way").isEqualTo("SENDING");
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(deliveryStatus(slow.eventId(), "WHATSAPP")));
        assertThat(delivery(slow.eventId(), "WHATSAPP")).containsEntry("attempts", 1);
    }

    @Test
    void aNumberTheGatewayRejectsIsDeadAfterOneAttemptWhileOtherMessagesFlow() {
        NotificationPeers.wireMock().stubFor(post(urlEqualTo(MESSAGES)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.to", equalTo("6289999999999")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"(#100) Invalid parameter\",\"type\":\"OAuthException\","
                                + "\"code\":100}}")));
        UUID rejectedOrder = UUID.randomUUID();
        Event rejected = Event.of(EventTypes.PAYMENT_REQUESTED, rejectedOrder,
                Outbox.paymentInstructions(rejectedOrder, Outbox.customer("+6289999999999")));
        UUID malformedOrder = UUID.randomUUID();
        Event malformed = Event.of(EventTypes.PAYMENT_REQUESTED, malformedOrder,
                Outbox.paymentInstructions(malformedOrder, Outbox.customer("0812-abc")));
        UUID fineOrder = UUID.randomUUID();
        Event fine = Event.of(EventTypes.PAYMENT_REQUESTED, fineOrder,
                Outbox.paymentInstructions(fineOrder, Outbox.customer("+6281355556666")));

        Outbox.insert("orders", rejected, malformed, fine);

        await().atMost(Duration.ofSeconds(10)).until(() -> "DEAD".equals(deliveryStatus(rejected.eventId(), "WHATSAPP"))
                && "DEAD".equals(deliveryStatus(malformed.eventId(), "WHATSAPP"))
                && "SENT".equals(deliveryStatus(fine.eventId(), "WHATSAPP")));
        assertThat(delivery(rejected.eventId(), "WHATSAPP")).containsEntry("attempts", 1);
        assertThat((String) delivery(rejected.eventId(), "WHATSAPP").get("last_error")).contains("HTTP 400", "100");
        assertThat(NotificationPeers.wireMock().findAll(postRequestedFor(urlEqualTo(MESSAGES))
                .withRequestBody(matchingJsonPath("$.to", equalTo("6289999999999"))))).hasSize(1);
        // a number that is not one never reaches the gateway, and its error shows no full number
        assertThat(delivery(malformed.eventId(), "WHATSAPP")).containsEntry("attempts", 1);
        assertThat((String) delivery(malformed.eventId(), "WHATSAPP").get("last_error"))
                .contains("not a valid WhatsApp number");
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(deliveryStatus(rejected.eventId(), "EMAIL"))
                && "SENT".equals(deliveryStatus(fine.eventId(), "EMAIL")));
    }

    @Test
    void orderServiceAnswersAreClassifiedAsTheContractSays() {
        UUID unknownOrder = UUID.randomUUID();
        Event unknown = Event.of(EventTypes.PAYMENT_FAILED, unknownOrder, Outbox.settlement(unknownOrder));
        NotificationPeers.wireMock().stubFor(post(urlEqualTo("/internal/payment-events")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.eventId", equalTo(unknown.eventId().toString())))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"type\":\"https://lunas.dev/problems/order-not-found\",\"status\":404,"
                                + "\"detail\":\"No such order\"}")));
        UUID flakyOrder = UUID.randomUUID();
        Event flaky = Event.of(EventTypes.PAYMENT_SETTLED, flakyOrder, Outbox.settlement(flakyOrder));
        String scenario = "flaky-" + flaky.eventId();
        NotificationPeers.wireMock().stubFor(post(urlEqualTo("/internal/payment-events")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.eventId", equalTo(flaky.eventId().toString())))
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(503)));

        Outbox.insert("payments", unknown, flaky);

        await().atMost(Duration.ofSeconds(10)).until(() -> "DEAD".equals(deliveryStatus(unknown.eventId(), "INTERNAL"))
                && "SENT".equals(deliveryStatus(flaky.eventId(), "INTERNAL")));
        assertThat(delivery(unknown.eventId(), "INTERNAL")).containsEntry("attempts", 1);
        assertThat((String) delivery(unknown.eventId(), "INTERNAL").get("last_error"))
                .contains("HTTP 404", "order-not-found");
        // the 503 was retried, never taken as final (a pooled connection the stub server had closed may add one more
        // transient attempt before it: also retried)
        Map<String, Object> retried = delivery(flaky.eventId(), "INTERNAL");
        assertThat((String) retried.get("errors")).contains("order-service HTTP 503").doesNotContain("\"permanent\": true");
        assertThat(((Number) retried.get("attempts")).intValue()).isBetween(2, 3);
    }

    @Test
    void aLeaseLeftByAKilledWorkerIsRescuedAndDelivered() {
        UUID orderId = UUID.randomUUID();
        Customer customer = Outbox.customer("+6281377778888");
        UUID eventId = UUID.randomUUID();
        // what a worker killed mid-send leaves behind: SENDING, its lease already expired
        Outbox.execute("INSERT INTO notifications.delivery (event_id, source, event_type, aggregate_type, aggregate_id, "
                        + "channel, template, payload, event_created_at, status, attempts, max_attempts, locked_by, "
                        + "locked_until) VALUES (?, 'orders', 'OrderPaid', 'order', ?, 'EMAIL', 'payment-success', "
                        + "?::jsonb, now() - interval '3 minutes', 'SENDING', 1, 3, 'killed-pod:0d5c', "
                        + "now() - interval '1 second')",
                eventId, orderId.toString(), Outbox.json(Outbox.orderPaid(orderId, customer)));

        await().atMost(Duration.ofSeconds(15)).until(() -> "SENT".equals(deliveryStatus(eventId, "EMAIL")));
        Map<String, Object> row = delivery(eventId, "EMAIL");
        assertThat(row).containsEntry("attempts", 2);
        assertThat((String) row.get("errors")).contains("lease expired", "killed-pod:0d5c");
        assertThat(Mailbox.to(customer.email())).hasSize(1);
    }
}
