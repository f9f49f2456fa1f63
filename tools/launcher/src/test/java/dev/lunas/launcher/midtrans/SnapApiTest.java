package dev.lunas.launcher.midtrans;

import static dev.lunas.launcher.midtrans.SimulatorFixture.SERVER_KEY;
import static dev.lunas.launcher.midtrans.SimulatorFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.http.Http;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapApiTest {

    private static final Http HTTP = new Http(Duration.ofSeconds(20));

    private final SimulatorFixture midtrans = new SimulatorFixture();

    @AfterEach
    void stop() {
        midtrans.close();
    }

    @Test
    void createsATransactionAnsweringTokenAndRedirectUrl() {
        HttpResponse<String> created = midtrans.snap(SimulatorFixture.order("order-1", 99_000));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json(created.body());
        String token = body.path("token").asText();
        assertThat(token).matches("[0-9a-f-]{36}");
        assertThat(body.path("redirect_url").asText()).isEqualTo(midtrans.simulator.baseUrl() + "/snap/v2/vtweb/" + token);

        HttpResponse<String> page = HTTP.get(URI.create(body.path("redirect_url").asText()));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("order-1", "Rp 99.000", "Buat Film Pakai AI", "Pay now");
        assertThat(midtrans.simulator.ledger()).singleElement().satisfies(entry -> {
            assertThat(entry.status()).isEqualTo("awaiting_choice");
            assertThat(entry.grossAmount()).isEqualTo(99_000);
            assertThat(entry.tokensIssued()).isEqualTo(1);
        });
    }

    @Test
    void refusesAMissingOrWrongServerKey() {
        String order = SimulatorFixture.order("order-1", 99_000);
        HttpResponse<String> missing = HTTP.postJson(midtrans.url("/snap/v1/transactions"), order);
        HttpResponse<String> wrong = HTTP.postJson(midtrans.url("/snap/v1/transactions"), order,
                "Authorization", Http.basic("SB-Mid-server-someone-else"));

        for (HttpResponse<String> refused : List.of(missing, wrong)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(json(refused.body()).path("error_messages").get(0).asText())
                    .isEqualTo("Access denied due to unauthorized transaction, please check client or server key");
        }
        assertThat(midtrans.simulator.ledger()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"transaction_details\":{\"order_id\":\"o-1\",\"gross_amount\":99000.5}}|transaction_details.gross_amount must be an integer",
            "{\"transaction_details\":{\"order_id\":\"o-1\",\"gross_amount\":\"sembilan\"}}|transaction_details.gross_amount is not a number",
            "{\"transaction_details\":{\"order_id\":\"o-1\"}}|transaction_details.gross_amount is required",
            "{\"transaction_details\":{\"gross_amount\":99000}}|transaction_details.order_id is required",
            "{\"transaction_details\":{\"order_id\":\"o-1\",\"gross_amount\":99000},\"item_details\":[{\"price\":90000,\"quantity\":1,\"name\":\"x\"}]}"
                    + "|transaction_details.gross_amount is not equal to the sum of item_details",
            "{\"transaction_details\":{\"order_id\":\"o/1\",\"gross_amount\":99000}}|transaction_details.order_id may only contain letters, digits and - _ ~ .",
            "{\"transaction_details\":{\"order_id\":\"o-1\",\"gross_amount\":99000},\"expiry\":{\"unit\":\"week\",\"duration\":1}}"
                    + "|expiry.unit must be one of minute, hour, day",
            "[1,2,3]|The request body must be a JSON object"
    })
    void rejectsInvalidRequestsAsMidtransDoes(String body, String message) {
        HttpResponse<String> refused = midtrans.snap(body);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused.body()).path("error_messages")).extracting(JsonNode::asText).contains(message);
        assertThat(midtrans.simulator.ledger()).isEmpty();
    }

    @Test
    void acceptsWholeAmountsWrittenWithDecimalsOrAsStrings() {
        assertThat(midtrans.snap("{\"transaction_details\":{\"order_id\":\"o-1\",\"gross_amount\":\"99000\"}}").statusCode()).isEqualTo(201);
        assertThat(midtrans.snap("{\"transaction_details\":{\"order_id\":\"o-2\",\"gross_amount\":99000.00}}").statusCode()).isEqualTo(201);
        assertThat(midtrans.simulator.ledger()).extracting(LedgerEntry::grossAmount).containsExactly(99_000L, 99_000L);
    }

    @Test
    void reissuesATokenUntilAPaymentMethodIsChosenAndTheOldOneStopsWorking() {
        JsonNode first = midtrans.checkout("order-1", 99_000);
        JsonNode second = midtrans.checkout("order-1", 99_000);

        assertThat(second.path("token").asText()).isNotEqualTo(first.path("token").asText());
        assertThat(HTTP.get(URI.create(first.path("redirect_url").asText())).statusCode()).isEqualTo(410);
        assertThat(HTTP.get(URI.create(second.path("redirect_url").asText())).statusCode()).isEqualTo(200);
        assertThat(midtrans.simulator.ledger()).singleElement().satisfies(entry -> {
            assertThat(entry.tokensIssued()).isEqualTo(2);
            assertThat(entry.snapRequests()).isEqualTo(2);
        });
    }

    @Test
    void refusesTheOrderIdOnceAPaymentMethodWasChosen() {
        midtrans.checkout("order-1", 99_000);
        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.PENDING);

        HttpResponse<String> again = midtrans.snap(SimulatorFixture.order("order-1", 99_000));

        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(json(again.body()).path("error_messages").get(0).asText()).isEqualTo("transaction_details.order_id sudah digunakan");
        assertThat(midtrans.simulator.transaction("order-1").orElseThrow().snapRequests()).isEqualTo(2);
    }

    @Test
    void getStatusKnowsNoTransactionBeforeAMethodIsChosen() {
        midtrans.checkout("order-1", 99_000);

        for (String id : List.of("order-1", "never-seen")) {
            HttpResponse<String> status = midtrans.status(id);
            assertThat(status.statusCode()).isEqualTo(404);
            JsonNode body = json(status.body());
            assertThat(body.path("status_code").asText()).isEqualTo("404");
            assertThat(body.path("status_message").asText()).isEqualTo("Transaction doesn't exist.");
        }
    }

    @Test
    void getStatusAnswersTheSettledTransactionSignedAndInWib() {
        midtrans.checkout("order-1", 99_000);
        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.SETTLEMENT);

        HttpResponse<String> status = midtrans.status("order-1");

        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode body = json(status.body());
        assertThat(body.path("status_message").asText()).isEqualTo("Success, transaction is found");
        assertThat(body.path("transaction_status").asText()).isEqualTo("settlement");
        assertThat(body.path("status_code").asText()).isEqualTo("200");
        assertThat(body.path("gross_amount").asText()).isEqualTo("99000.00");
        assertThat(body.path("currency").asText()).isEqualTo("IDR");
        assertThat(body.path("fraud_status").asText()).isEqualTo("accept");
        assertThat(body.path("payment_type").asText()).isEqualTo("bank_transfer");
        assertThat(body.path("va_numbers").get(0).path("bank").asText()).isEqualTo("bca");
        assertThat(body.path("transaction_time").asText()).isEqualTo("2026-11-21 10:00:00");
        assertThat(body.path("settlement_time").asText()).isEqualTo("2026-11-21 10:00:00");
        assertThat(body.path("expiry_time").asText()).isEqualTo("2026-11-22 10:00:00");
        assertThat(body.path("signature_key").asText()).isEqualTo(Signature.of("order-1", "200", "99000.00", SERVER_KEY));

        HttpResponse<String> byTransactionId = midtrans.status(body.path("transaction_id").asText());
        assertThat(json(byTransactionId.body())).isEqualTo(body);
    }

    @Test
    void getStatusRefusesAWrongServerKey() {
        midtrans.checkout("order-1", 99_000);
        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.SETTLEMENT);

        HttpResponse<String> refused = HTTP.get(midtrans.url("/v2/order-1/status"), "Authorization", Http.basic("SB-Mid-server-x"));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused.body()).path("status_code").asText()).isEqualTo("401");
    }

    @Test
    void aSimulatedOutageAnswers5xxForAsManyRequestsAsAsked() {
        HttpResponse<String> outage = HTTP.send(java.net.http.HttpRequest.newBuilder(midtrans.url("/simulator/failures/snap"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"mode\":\"error\",\"status\":503,\"times\":2}")));
        assertThat(outage.statusCode()).isEqualTo(200);

        HttpResponse<String> first = midtrans.snap(SimulatorFixture.order("order-1", 99_000));
        HttpResponse<String> second = midtrans.snap(SimulatorFixture.order("order-1", 99_000));
        HttpResponse<String> third = midtrans.snap(SimulatorFixture.order("order-1", 99_000));

        assertThat(List.of(first.statusCode(), second.statusCode(), third.statusCode())).containsExactly(503, 503, 201);
        assertThat(json(first.body()).path("error_messages").get(0).asText())
                .isEqualTo("Sorry, we encountered internal server error. We will fix this soon.");
        assertThat(midtrans.simulator.ledger()).singleElement().extracting(LedgerEntry::tokensIssued).isEqualTo(1);
    }

    @Test
    void getStatusCanFailUntilRecovered() {
        midtrans.checkout("order-1", 99_000);
        midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.SETTLEMENT);
        midtrans.simulator.fail(MidtransSimulator.Api.STATUS, 500, 0);

        assertThat(midtrans.status("order-1").statusCode()).isEqualTo(500);
        assertThat(midtrans.status("order-1").statusCode()).isEqualTo(500);
        HTTP.send(java.net.http.HttpRequest.newBuilder(midtrans.url("/simulator/failures/status")).DELETE());
        assertThat(midtrans.status("order-1").statusCode()).isEqualTo(200);
    }

    @Test
    void aHangingSnapTimesTheCallerOutButStillCreatesTheTransactionLikeMidtrans() {
        midtrans.simulator.hang(MidtransSimulator.Api.SNAP, Duration.ofSeconds(2), 1);

        assertThatThrownBy(() -> java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(midtrans.url("/snap/v1/transactions"))
                        .timeout(Duration.ofMillis(300))
                        .header("Authorization", Http.basic(SERVER_KEY))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(SimulatorFixture.order("order-1", 99_000)))
                        .build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> midtrans.simulator.transaction("order-1").isPresent());

        HttpResponse<String> retried = midtrans.snap(SimulatorFixture.order("order-1", 99_000));
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(midtrans.simulator.ledger()).singleElement().extracting(LedgerEntry::tokensIssued).isEqualTo(2);
    }

    @Test
    void recoveringReleasesRequestsThatAreBeingHeld() throws Exception {
        midtrans.simulator.hang(MidtransSimulator.Api.SNAP, Duration.ofMinutes(10), 0);
        java.util.concurrent.CompletableFuture<HttpResponse<String>> held = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> midtrans.snap(SimulatorFixture.order("order-1", 99_000)));

        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !held.isDone());
        midtrans.simulator.recover(MidtransSimulator.Api.SNAP);

        assertThat(held.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    }

    @Test
    void thePaymentPageLetsAPersonPay() {
        JsonNode created = midtrans.checkout("order-1", 99_000);
        URI page = URI.create(created.path("redirect_url").asText());

        HttpResponse<String> paid = HTTP.postForm(page, "action=pay");

        assertThat(paid.statusCode()).isEqualTo(303);
        assertThat(paid.headers().firstValue("Location")).hasValue(page.getPath());
        HttpResponse<String> result = HTTP.get(page);
        assertThat(result.body()).contains("Payment received",
                "http://localhost:3000/thanks?order_id=order-1&amp;status_code=200&amp;transaction_status=settlement");
        assertThat(midtrans.simulator.transaction("order-1").orElseThrow().status()).isEqualTo("settlement");

        assertThat(HTTP.postForm(page, "action=deny").statusCode()).isEqualTo(409);
        assertThat(midtrans.simulator.transaction("order-1").orElseThrow().status()).isEqualTo("settlement");
    }

    @Test
    void theControlApiDecidesPaymentsAndShowsTheLedger() {
        midtrans.checkout("order-1", 99_000);
        midtrans.clock.advance(Duration.ofSeconds(1));
        midtrans.checkout("order-2", 150_000);

        HttpResponse<String> settled = HTTP.postJson(midtrans.url("/simulator/transactions/order-1/settle"), "");
        HttpResponse<String> again = HTTP.postJson(midtrans.url("/simulator/transactions/order-1/deny"), "");
        HttpResponse<String> unknown = HTTP.postJson(midtrans.url("/simulator/transactions/order-9/settle"), "");
        HttpResponse<String> ledger = HTTP.get(midtrans.url("/simulator/ledger"));

        assertThat(settled.statusCode()).isEqualTo(200);
        assertThat(json(settled.body()).path("status").asText()).isEqualTo("settlement");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(unknown.statusCode()).isEqualTo(404);
        JsonNode transactions = json(ledger.body()).path("transactions");
        assertThat(StreamSupport.stream(transactions.spliterator(), false).map(t -> t.path("order_id").asText() + ":" + t.path("status").asText()))
                .containsExactly("order-1:settlement", "order-2:awaiting_choice");
    }

    @Test
    void anUnusedPageExpiresSilentlyAndTheOrderIdCanBeUsedAgain() {
        midtrans.snap("{\"transaction_details\":{\"order_id\":\"order-1\",\"gross_amount\":99000},"
                + "\"page_expiry\":{\"duration\":30,\"unit\":\"minutes\"}}");
        midtrans.clock.advance(Duration.ofMinutes(31));

        midtrans.simulator.expireOverdue();

        assertThat(midtrans.simulator.transaction("order-1").orElseThrow().status()).isEqualTo("page_expired");
        assertThat(midtrans.status("order-1").statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> midtrans.simulator.decide("order-1", MidtransSimulator.Outcome.SETTLEMENT))
                .isInstanceOf(IllegalStateException.class);
        assertThat(midtrans.merchant.received()).isEmpty();
        assertThat(midtrans.snap(SimulatorFixture.order("order-1", 99_000)).statusCode()).isEqualTo(201);
    }
}
