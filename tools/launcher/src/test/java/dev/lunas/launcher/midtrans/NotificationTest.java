package dev.lunas.launcher.midtrans;

import static dev.lunas.launcher.midtrans.SimulatorFixture.SERVER_KEY;
import static dev.lunas.launcher.midtrans.SimulatorFixture.WEBHOOK;
import static dev.lunas.launcher.midtrans.SimulatorFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.testing.HttpReceiver;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NotificationTest {

    private static final Http HTTP = new Http(Duration.ofSeconds(20));

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private SimulatorFixture midtrans = new SimulatorFixture();

    @AfterEach
    void stop() {
        midtrans.close();
    }

    @Test
    void aPaymentIsNotifiedAsPendingThenSettlementSignedLikeMidtrans() {
        midtrans.checkout("order-1", 99_000);

        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.SETTLEMENT);

        await().atMost(PATIENCE).until(() -> midtrans.merchant.received(WEBHOOK).size() == 2);
        List<JsonNode> notifications = midtrans.notificationsReceived();
        JsonNode pending = notifications.get(0);
        JsonNode settlement = notifications.get(1);
        assertThat(pending.path("transaction_status").asText()).isEqualTo("pending");
        assertThat(pending.path("status_code").asText()).isEqualTo("201");
        assertThat(pending.has("settlement_time")).isFalse();
        assertThat(settlement.path("transaction_status").asText()).isEqualTo("settlement");
        assertThat(settlement.path("status_code").asText()).isEqualTo("200");
        assertThat(settlement.path("settlement_time").asText()).isEqualTo("2026-11-21 10:00:00");
        for (JsonNode notification : notifications) {
            assertThat(notification.path("order_id").asText()).isEqualTo("order-1");
            assertThat(notification.path("gross_amount").asText()).isEqualTo("99000.00");
            assertThat(notification.path("currency").asText()).isEqualTo("IDR");
            assertThat(notification.path("fraud_status").asText()).isEqualTo("accept");
            assertThat(notification.path("payment_type").asText()).isEqualTo("bank_transfer");
            assertThat(notification.path("status_message").asText()).isEqualTo("midtrans payment notification");
            assertThat(notification.path("transaction_time").asText()).isEqualTo("2026-11-21 10:00:00");
            assertThat(notification.path("expiry_time").asText()).isEqualTo("2026-11-22 10:00:00");
            assertThat(notification.path("merchant_id").asText()).matches("G[0-9]{9}");
            assertThat(notification.path("va_numbers").get(0).path("va_number").asText()).matches("[0-9]{16}");
            assertThat(notification.path("transaction_id").asText()).isEqualTo(pending.path("transaction_id").asText());
            assertThat(notification.path("signature_key").asText()).isEqualTo(signatureOf(notification));
        }
        HttpReceiver.Received request = midtrans.merchant.received(WEBHOOK).get(0);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("User-Agent")).isEqualTo("Veritrans");
        assertThat(request.header("Authorization")).isNull();
        assertThat(midtrans.simulator.transaction("order-1").orElseThrow().notifications())
                .extracting(Delivery.View::state).containsExactly("delivered", "delivered");
    }

    @Test
    void aLoadGeneratorCanTakeTheSignedNotificationsAndSendThemItself() {
        midtrans.checkout("order-1", 99_000);

        List<JsonNode> handedOver = midtrans.simulator.decideAndHandOver("order-1", MidtransSimulator.Outcome.SETTLEMENT)
                .stream().map(SimulatorFixture::json).toList();

        assertThat(handedOver).extracting(n -> n.path("transaction_status").asText()).containsExactly("pending", "settlement");
        for (JsonNode notification : handedOver) {
            assertThat(notification.path("order_id").asText()).isEqualTo("order-1");
            assertThat(notification.path("signature_key").asText()).isEqualTo(signatureOf(notification));
        }
        LedgerEntry ledger = midtrans.simulator.transaction("order-1").orElseThrow();
        assertThat(ledger.status()).isEqualTo("settlement");
        assertThat(ledger.notifications()).as("nothing was sent by the simulator itself").isEmpty();
        assertThat(midtrans.status("order-1").body()).contains("\"transaction_status\":\"settlement\"");
    }

    @ParameterizedTest
    @CsvSource({"DENY, deny, deny", "EXPIRE, expire, accept"})
    void failedPaymentsAreNotifiedWithStatusCode202(MidtransSimulator.Outcome outcome, String status, String fraudStatus) {
        midtrans.checkout("order-1", 99_000);

        midtrans.simulator.decide("order-1", outcome);

        await().atMost(PATIENCE).until(() -> midtrans.merchant.received(WEBHOOK).size() == 2);
        JsonNode last = midtrans.notificationsReceived().get(1);
        assertThat(last.path("transaction_status").asText()).isEqualTo(status);
        assertThat(last.path("status_code").asText()).isEqualTo("202");
        assertThat(last.path("fraud_status").asText()).isEqualTo(fraudStatus);
        assertThat(last.path("signature_key").asText()).isEqualTo(signatureOf(last));
    }

    @ParameterizedTest(name = "HTTP {0} gets {1} attempt(s)")
    @CsvSource({"500, 2", "503, 5", "400, 3", "404, 3", "302, 1", "410, 6"})
    void failedDeliveriesAreRetriedAsMidtransRetriesThem(int status, int attempts) {
        midtrans.merchant.answer(WEBHOOK, repeat(status, 6));
        midtrans.checkout("order-1", 99_000);

        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.PENDING);

        await().atMost(PATIENCE).until(() -> state(0).equals("failed"));
        Delivery.View delivery = midtrans.simulator.transaction("order-1").orElseThrow().notifications().get(0);
        assertThat(delivery.attempts()).hasSize(attempts).allSatisfy(a -> assertThat(a.status()).isEqualTo(status));
        assertThat(midtrans.merchant.received(WEBHOOK)).hasSize(attempts)
                .extracting(HttpReceiver.Received::body).containsOnly(midtrans.merchant.received(WEBHOOK).get(0).body());
    }

    @Test
    void anEndpointThatIsDownGetsFiveRetries() throws IOException {
        URI nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = URI.create("http://localhost:" + socket.getLocalPort() + "/webhooks/midtrans");
        }
        midtrans.snap(SimulatorFixture.order("order-1", 99_000), "X-Override-Notification", nobodyListens.toString());

        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.PENDING);

        await().atMost(PATIENCE).until(() -> state(0).equals("failed"));
        assertThat(midtrans.simulator.transaction("order-1").orElseThrow().notifications().get(0).attempts())
                .hasSize(6).allSatisfy(attempt -> {
                    assertThat(attempt.status()).isNull();
                    assertThat(attempt.error()).isEqualTo("connection refused");
                });
    }

    @Test
    void aNotificationSucceedsOnARetryWithTheSameBody() {
        midtrans.merchant.answer(WEBHOOK, 503, 503);
        midtrans.checkout("order-1", 99_000);

        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.PENDING);

        await().atMost(PATIENCE).until(() -> state(0).equals("delivered"));
        List<HttpReceiver.Received> received = midtrans.merchant.received(WEBHOOK);
        assertThat(received).hasSize(3).extracting(HttpReceiver.Received::body).containsOnly(received.get(0).body());
    }

    @Test
    void aTemporaryRedirectIsFollowedWithTheSameBody() {
        midtrans.merchant.redirect(WEBHOOK, 307, "/moved/midtrans");
        midtrans.checkout("order-1", 99_000);

        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.PENDING);

        await().atMost(PATIENCE).until(() -> state(0).equals("delivered"));
        assertThat(midtrans.merchant.received("/moved/midtrans")).singleElement()
                .extracting(HttpReceiver.Received::body).isEqualTo(midtrans.merchant.received(WEBHOOK).get(0).body());
    }

    @Test
    void duplicatesAreExactCopies() {
        midtrans.close();
        midtrans = new SimulatorFixture(settings -> settings.duplicates(1.0, Duration.ofMillis(10)).random(new Random(7)));
        midtrans.checkout("order-1", 99_000);

        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.SETTLEMENT);

        await().atMost(PATIENCE).until(() -> midtrans.merchant.received(WEBHOOK).size() == 4);
        assertThat(midtrans.merchant.received(WEBHOOK)).extracting(r -> json(r.body()).path("transaction_status").asText())
                .containsExactlyInAnyOrder("pending", "pending", "settlement", "settlement");
        assertThat(midtrans.merchant.received(WEBHOOK).stream().map(HttpReceiver.Received::body).distinct()).hasSize(2);
        assertThat(midtrans.simulator.transaction("order-1").orElseThrow().notifications())
                .filteredOn(Delivery.View::duplicate).hasSize(2);
    }

    @Test
    void aDuplicateStormSendsTheCurrentStatusManyTimesAtOnce() {
        midtrans.checkout("order-1", 99_000);
        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.SETTLEMENT);
        await().atMost(PATIENCE).until(() -> midtrans.merchant.received(WEBHOOK).size() == 2);

        assertThat(HTTP.postJson(midtrans.url("/simulator/transactions/order-1/notify?copies=20"), "").statusCode()).isEqualTo(200);

        await().atMost(PATIENCE).until(() -> midtrans.merchant.received(WEBHOOK).size() == 22);
        assertThat(midtrans.merchant.received(WEBHOOK).subList(2, 22)).extracting(HttpReceiver.Received::body)
                .containsOnly(midtrans.merchant.received(WEBHOOK).get(1).body());
    }

    @Test
    void notificationUrlsCanBeOverriddenOrAppendedPerTransaction() throws IOException {
        try (HttpReceiver other = new HttpReceiver()) {
            midtrans.snap(SimulatorFixture.order("overridden", 99_000), "X-Override-Notification", other.url("/a").toString());
            midtrans.snap(SimulatorFixture.order("appended", 99_000), "X-Append-Notification", other.url("/b").toString());

            midtrans.simulator.decide("overridden", MidtransSimulator.Outcome.PENDING);
            midtrans.simulator.decide("appended", MidtransSimulator.Outcome.PENDING);

            await().atMost(PATIENCE).until(() -> other.received().size() == 2 && midtrans.merchant.received().size() == 1);
            assertThat(other.received("/a")).singleElement().extracting(r -> json(r.body()).path("order_id").asText()).isEqualTo("overridden");
            assertThat(other.received("/b")).singleElement().extracting(r -> json(r.body()).path("order_id").asText()).isEqualTo("appended");
            assertThat(midtrans.notificationsReceived()).singleElement().extracting(n -> n.path("order_id").asText()).isEqualTo("appended");
        }
    }

    @Test
    void aPendingPaymentExpiresAtItsExpiryTime() {
        midtrans.snap("{\"transaction_details\":{\"order_id\":\"order-1\",\"gross_amount\":99000},"
                + "\"expiry\":{\"start_time\":\"2026-11-21 10:00:00 +0700\",\"unit\":\"minutes\",\"duration\":60}}");
        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.PENDING);
        midtrans.clock.advance(Duration.ofMinutes(59));
        midtrans.simulator.expireOverdue();
        assertThat(midtrans.simulator.transaction("order-1").orElseThrow().status()).isEqualTo("pending");

        midtrans.clock.advance(Duration.ofMinutes(1));
        midtrans.simulator.expireOverdue();

        await().atMost(PATIENCE).until(() -> midtrans.merchant.received(WEBHOOK).size() == 2);
        JsonNode expired = midtrans.notificationsReceived().get(1);
        assertThat(expired.path("transaction_status").asText()).isEqualTo("expire");
        assertThat(expired.path("expiry_time").asText()).isEqualTo("2026-11-21 11:00:00");
        assertThat(expired.path("signature_key").asText()).isEqualTo(signatureOf(expired));
    }

    private String state(int index) {
        List<Delivery.View> deliveries = midtrans.simulator.transaction("order-1").orElseThrow().notifications();
        return deliveries.size() > index ? deliveries.get(index).state() : "none";
    }

    /** Recomputed from the body's own strings, as payment-service will. */
    private static String signatureOf(JsonNode notification) {
        return Signature.of(notification.path("order_id").asText(), notification.path("status_code").asText(),
                notification.path("gross_amount").asText(), SERVER_KEY);
    }

    private static int[] repeat(int status, int times) {
        int[] statuses = new int[times];
        java.util.Arrays.fill(statuses, status);
        return statuses;
    }
}
