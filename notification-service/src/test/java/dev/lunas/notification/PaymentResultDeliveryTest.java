package dev.lunas.notification;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.lunas.notification.testing.Outbox.delivery;
import static dev.lunas.notification.testing.Outbox.deliveryStatus;
import static io.restassured.RestAssured.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.lunas.common.event.Customer;
import dev.lunas.common.event.EventTypes;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.service.ChannelBreaker;
import dev.lunas.notification.service.Channels;
import dev.lunas.notification.testing.Mailbox;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import dev.lunas.notification.testing.Outbox.Event;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Defect 4 ("Harden the money path"): a payment result must reach order-service however long it or the
 * database is away. Only order-service's definitive refusal (a problem type of the contract) ends it, and
 * that raises an alert. A breaker that opens after four failures and probes every 300 ms lets an outage
 * run through its cycles within the test.
 */
@QuarkusTest
@TestProfile(PaymentResultDeliveryTest.SmallBreakerAndAlerts.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class PaymentResultDeliveryTest {

    static final String ALERTS = "ops-payments@lunas.test";
    private static final String EVENTS = "/internal/payment-events";
    /** What INTERNAL inherited from the mail channels before: 12 attempts, then DEAD. */
    private static final int OLD_ATTEMPT_LIMIT = 12;
    private static final String PROBLEM = "application/problem+json";

    public static class SmallBreakerAndAlerts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lunas.notification.email.alert-address", ALERTS,
                    "lunas.notification.internal.breaker.window", "4",
                    "lunas.notification.internal.breaker.delay", "300ms");
        }
    }

    @Inject
    Channels channels;

    @Test
    void defect4_paymentResultSurvivesLongOutage() throws Exception {
        UUID orderId = UUID.randomUUID();
        Event event = Event.of(EventTypes.PAYMENT_SETTLED, orderId, Outbox.settlement(orderId));
        StubMapping outage = NotificationPeers.wireMock().stubFor(forEvent(event).willReturn(problem(503,
                "https://lunas.dev/problems/service-unavailable", "The database is unreachable")));
        try {
            Outbox.insert("payments", event);

            // the outage is long enough to open the channel's breaker ...
            ChannelBreaker breaker = channels.breaker(Channel.INTERNAL);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> breaker.state() == ChannelBreaker.State.OPEN);
            // ... and outlasts the attempts mail gets
            await().atMost(Duration.ofSeconds(60)).until(() -> "DEAD".equals(deliveryStatus(event.eventId(), "INTERNAL"))
                    || attempts(event) > OLD_ATTEMPT_LIMIT + 1);
            assertThat(deliveryStatus(event.eventId(), "INTERNAL")).as("a payment result never dies of an outage")
                    .isNotEqualTo("DEAD");
        } finally {
            NotificationPeers.wireMock().removeStub(outage);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> !"RETRY".equals(deliveryStatus(event.eventId(), "INTERNAL"))
                && !"SENDING".equals(deliveryStatus(event.eventId(), "INTERNAL")));
        Map<String, Object> row = delivery(event.eventId(), "INTERNAL");
        assertThat(row.get("status")).isEqualTo("SENT");
        assertThat(row.get("max_attempts")).as("no attempt limit").isNull();
        JsonNode history = Outbox.JSON.readTree((String) row.get("errors"));
        assertThat(history.size()).isGreaterThan(OLD_ATTEMPT_LIMIT);
        history.forEach(entry -> assertThat(entry.path("permanent").asBoolean()).isFalse());
        assertThat(alertsFor(orderId)).isEmpty();
    }

    @Test
    void defect4_aRouting404IsTransientAndOnlyTheContractsProblemTypesArePermanent() {
        UUID orderId = UUID.randomUUID();
        Event event = Event.of(EventTypes.PAYMENT_SETTLED, orderId, Outbox.settlement(orderId));
        // what a wrong ORDER_SERVICE_URL, a proxy or a half-deployed order-service answer; then the real one
        List<ResponseDefinitionBuilder> answers = List.of(
                aResponse().withStatus(404).withHeader("Content-Type", "text/html")
                        .withBody("<html><body><h1>404 Not Found</h1>nginx</body></html>"),
                aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":404,\"error\":\"Not Found\",\"path\":\"/internal/payment-events\"}"),
                problem(404, "about:blank", "Not Found"),
                problem(422, "https://lunas.dev/problems/something-new", "An answer this contract does not know"),
                aResponse().withStatus(401).withHeader("Content-Type", PROBLEM)
                        .withBody("{\"type\":\"https://lunas.dev/problems/unauthorized\",\"status\":401}"),
                aResponse().withStatus(403),
                aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"eventId\":\"" + event.eventId() + "\",\"outcome\":\"APPLIED\"}"));
        String scenario = "routing-" + event.eventId();
        for (int i = 0; i < answers.size(); i++) {
            NotificationPeers.wireMock().stubFor(forEvent(event).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer-" + i)
                    .willSetStateTo("answer-" + (i + 1))
                    .willReturn(answers.get(i)));
        }

        Outbox.insert("payments", event);

        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(deliveryStatus(event.eventId(), "INTERNAL"))
                || "DEAD".equals(deliveryStatus(event.eventId(), "INTERNAL")));
        Map<String, Object> row = delivery(event.eventId(), "INTERNAL");
        assertThat(row.get("status")).as("last error: %s", row.get("last_error")).isEqualTo("SENT");
        assertThat(row).containsEntry("attempts", answers.size());
        assertThat(alertsFor(orderId)).isEmpty();
    }

    @Test
    void defect4_aPaymentResultOrderServiceRefusesIsDeadAtOnceAndRaisesAnAlert() throws Exception {
        double deadBefore = deadSettlements();
        Map<String, Integer> refusals = new LinkedHashMap<>();
        refusals.put("order-not-found", 404);
        refusals.put("invalid-event", 400);
        refusals.put("unsupported-event-type", 422);
        refusals.put("amount-mismatch", 422);
        refusals.put("invalid-signature", 422);
        List<Event> events = new ArrayList<>();
        for (Map.Entry<String, Integer> refusal : refusals.entrySet()) {
            UUID orderId = UUID.randomUUID();
            Event event = Event.of(EventTypes.PAYMENT_SETTLED, orderId, Outbox.settlement(orderId));
            NotificationPeers.wireMock().stubFor(forEvent(event).willReturn(problem(refusal.getValue(),
                    "https://lunas.dev/problems/" + refusal.getKey(), "refused: " + refusal.getKey())));
            events.add(event);
        }

        Outbox.insert("payments", events.toArray(Event[]::new));

        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream()
                .allMatch(event -> "DEAD".equals(deliveryStatus(event.eventId(), "INTERNAL"))));
        List<String> types = new ArrayList<>(refusals.keySet());
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            UUID orderId = UUID.fromString(event.aggregateId());
            Map<String, Object> dead = delivery(event.eventId(), "INTERNAL");
            assertThat(dead).containsEntry("attempts", 1);
            assertThat((String) dead.get("last_error")).contains(types.get(i));
            assertThat(NotificationPeers.wireMock().findAll(postRequestedFor(urlEqualTo(EVENTS))
                    .withRequestBody(matchingJsonPath("$.eventId", equalTo(event.eventId().toString()))))).hasSize(1);
            // written with the DEAD mark, in its transaction: there when the DEAD row is
            List<Map<String, Object>> alerts = alertsFor(orderId);
            assertThat(alerts).as("the ops alert for %s", types.get(i)).hasSize(1);
            assertThat(alerts.get(0)).containsEntry("channel", "EMAIL").containsEntry("event_type", "OpsAlert")
                    .containsEntry("max_attempts", 3);
            JsonNode alert = Outbox.JSON.readTree((String) alerts.get(0).get("payload"));
            assertThat(alert.path("severity").asText()).isEqualTo("critical");
            assertThat(alert.path("code").asText()).isEqualTo("payment_result_dead");
            assertThat(alert.path("orderId").asText()).isEqualTo(orderId.toString());
            assertThat(alert.path("message").asText()).contains(event.eventId().toString(), types.get(i));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream()
                .allMatch(event -> mailedAlerts(event.aggregateId()).size() == 1));
        MimeMessage mail = mailedAlerts(events.get(0).aggregateId()).get(0);
        assertThat(mail.getSubject()).isEqualTo("[Lunas critical] payment_result_dead");
        // counted after the commit that marked each DEAD
        await().atMost(Duration.ofSeconds(10)).until(() -> deadSettlements() >= deadBefore + events.size());
    }

    @Test
    void defect4_aRescuedPaymentResultCountsTowardsNoAttemptLimit() {
        UUID orderId = UUID.randomUUID();
        Event event = Event.of(EventTypes.PAYMENT_REFUNDED, orderId, Outbox.settlement(orderId));
        StubMapping down = NotificationPeers.wireMock().stubFor(forEvent(event).willReturn(aResponse().withStatus(503)));
        try {
            Outbox.insert("payments", event);
            // what a worker killed during the 12th attempt leaves behind: SENDING, its lease expired
            await().atMost(Duration.ofSeconds(20)).until(() -> Outbox.execute("UPDATE notifications.delivery SET "
                            + "status = 'SENDING', attempts = ?, locked_by = 'killed-pod:7f3a', "
                            + "locked_until = now() - interval '1 second' "
                            + "WHERE event_id = ? AND channel = 'INTERNAL' AND status = 'RETRY'",
                    OLD_ATTEMPT_LIMIT, event.eventId()) == 1);
        } finally {
            NotificationPeers.wireMock().removeStub(down);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> "SENT".equals(deliveryStatus(event.eventId(), "INTERNAL"))
                || "DEAD".equals(deliveryStatus(event.eventId(), "INTERNAL")));
        Map<String, Object> row = delivery(event.eventId(), "INTERNAL");
        assertThat(row.get("status")).as("last error: %s", row.get("last_error")).isEqualTo("SENT");
        assertThat(row).containsEntry("attempts", OLD_ATTEMPT_LIMIT + 1);
        assertThat((String) row.get("errors")).contains("lease expired", "killed-pod:7f3a");
    }

    @Test
    void defect4_mailAndWhatsAppKeepTheirAttemptLimits() {
        UUID orderId = UUID.randomUUID();
        Customer customer = Outbox.customer("+6281366667777");
        Event request = Event.of(EventTypes.PAYMENT_REQUESTED, orderId, Outbox.paymentInstructions(orderId, customer));
        Event settled = Event.of(EventTypes.PAYMENT_SETTLED, orderId, Outbox.settlement(orderId));

        Outbox.insert("orders", request);
        Outbox.insert("payments", settled);

        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(deliveryStatus(request.eventId(), "EMAIL"))
                && "SENT".equals(deliveryStatus(request.eventId(), "WHATSAPP"))
                && "SENT".equals(deliveryStatus(settled.eventId(), "INTERNAL")));
        assertThat(delivery(request.eventId(), "EMAIL")).containsEntry("max_attempts", 3);
        assertThat(delivery(request.eventId(), "WHATSAPP")).containsEntry("max_attempts", 12);
        assertThat(delivery(settled.eventId(), "INTERNAL")).containsEntry("max_attempts", null);
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder forEvent(Event event) {
        return post(urlEqualTo(EVENTS)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.eventId", equalTo(event.eventId().toString())));
    }

    private static ResponseDefinitionBuilder problem(int status, String type, String detail) {
        return aResponse().withStatus(status).withHeader("Content-Type", PROBLEM)
                .withBody("{\"type\":\"" + type + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }

    private static double deadSettlements() {
        String metrics = get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = Pattern.compile("(?m)^notification_payment_result_dead_total\\{event_type=\"PaymentSettled\","
                + "service=\"notification-service\"} (\\S+)$").matcher(metrics);
        assertThat(line.find()).as("notification_payment_result_dead_total{event_type=\"PaymentSettled\"}").isTrue();
        return Double.parseDouble(line.group(1));
    }

    private static int attempts(Event event) {
        return ((Number) delivery(event.eventId(), "INTERNAL").get("attempts")).intValue();
    }

    private static List<Map<String, Object>> alertsFor(UUID orderId) {
        return Outbox.query("SELECT channel, event_type, status, max_attempts, payload::text AS payload "
                + "FROM notifications.delivery WHERE template = 'ops-alert' AND aggregate_id = ?", orderId.toString());
    }

    private static List<MimeMessage> mailedAlerts(String orderId) {
        return Mailbox.to(ALERTS).stream().filter(mail -> {
            try {
                return com.icegreen.greenmail.util.GreenMailUtil.getBody(mail).contains(orderId);
            } catch (RuntimeException e) {
                return false;
            }
        }).toList();
    }
}
