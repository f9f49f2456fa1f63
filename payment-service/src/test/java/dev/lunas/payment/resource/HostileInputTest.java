package dev.lunas.payment.resource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.inOneHour;
import static dev.lunas.payment.testing.Api.paymentRequest;
import static dev.lunas.payment.testing.Api.pendingPayment;
import static dev.lunas.payment.testing.Api.reconcile;
import static dev.lunas.payment.testing.Api.requestPayment;
import static dev.lunas.payment.testing.Api.status;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.payment.service.MidtransSignature;
import dev.lunas.payment.testing.Db;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.Midtrans;
import dev.lunas.payment.testing.Midtrans.Note;
import dev.lunas.payment.testing.MidtransWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.lunas.payment.testing.Api;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 1 ("Harden the money path"): bad input of any shape gets a fast 400 problem+json, never a 5xx,
 * never a write, never work proportional to what the attacker wrote; garbage is not a processing error.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class HostileInputTest {

    /** Fast even on a loaded 2-core machine; the OutOfMemoryError took seconds and then answered 503. */
    private static final Duration FAST = Duration.ofSeconds(3);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @InjectMidtrans
    WireMockServer midtrans;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        Db.reset();
        midtrans.resetAll();
        breakers.resetAll();
    }

    // --- the webhook (and Get Status answers, same verifier) ---

    @Test
    void defect1_hugeExponentGrossAmountIs400AndNoProcessingError() {
        double errorsBefore = metric("webhook_processing_error_total");
        String body = "{\"order_id\":\"x\",\"status_code\":\"200\",\"gross_amount\":1E+300000000,\"signature_key\":\"0\"}";

        expectBadRequest(deliverRaw(body), "malformed-body");
        // the 118-byte shape from the issue, with padding fields
        expectBadRequest(deliverRaw("{\"order_id\":\"x\",\"status_code\":\"200\",\"gross_amount\":1E+300000000,"
                + "\"signature_key\":\"0\",\"transaction_status\":\"settlement\"}"), "malformed-body");

        assertThat(metric("webhook_processing_error_total")).isEqualTo(errorsBefore);
        assertThat(Db.writtenRows()).isZero();
    }

    @Test
    void defect1_everyReadFieldIsBoundedBeforeAnyConversion() {
        UUID orderId = pendingPayment(midtrans);
        long before = Db.writtenRows();
        double errorsBefore = metric("webhook_processing_error_total");
        String settlement = Note.settlement(orderId, AMOUNT).json();
        List<String> bad = List.of(
                // numbers: exponents, huge literals, negative, fractions, NaN-ish
                settlement.replace("\"gross_amount\":\"99000.00\"", "\"gross_amount\":9.9E4"),
                settlement.replace("\"gross_amount\":\"99000.00\"", "\"gross_amount\":\"1E+300000000\""),
                settlement.replace("\"gross_amount\":\"99000.00\"", "\"gross_amount\":" + "9".repeat(5_000)),
                settlement.replace("\"gross_amount\":\"99000.00\"", "\"gross_amount\":\"" + "9".repeat(5_000) + "\""),
                settlement.replace("\"gross_amount\":\"99000.00\"", "\"gross_amount\":-99000"),
                settlement.replace("\"gross_amount\":\"99000.00\"", "\"gross_amount\":\"99000.000\""),
                settlement.replace("\"gross_amount\":\"99000.00\"", "\"gross_amount\":true"),
                settlement.replace("\"gross_amount\":\"99000.00\"", "\"gross_amount\":{\"value\":99000}"),
                settlement.replace("\"status_code\":\"200\"", "\"status_code\":\"2000\""),
                settlement.replace("\"status_code\":\"200\"", "\"status_code\":2E2"),
                settlement.replace("}", ",\"refund_amount\":1e999999999}"),
                // long strings
                settlement.replace("\"order_id\":\"" + orderId, "\"order_id\":\"" + "a".repeat(51)),
                settlement.replace("\"order_id\":\"" + orderId, "\"order_id\":\"" + orderId + "/../x"),
                settlement.replace("\"transaction_status\":\"settlement\"", "\"transaction_status\":\"" + "s".repeat(40_000) + "\""),
                settlement.replace("\"fraud_status\":\"accept\"", "\"fraud_status\":\"" + "a".repeat(33) + "\""),
                settlement.replace("\"currency\":\"IDR\"", "\"currency\":\"IDRX\""),
                settlement.replace("\"payment_type\":\"bank_transfer\"", "\"payment_type\":\"" + "b".repeat(5_000) + "\""),
                settlement.replace("\"transaction_id\":\"", "\"transaction_id\":\"" + "t".repeat(200)),
                settlement.replace("\"transaction_time\":\"2026-11-21 17:00:00\"", "\"transaction_time\":\"" + "1".repeat(41) + "\""),
                // deep nesting in a field we never read
                settlement.replace("}", ",\"va_numbers\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}"),
                settlement.replace("}", ",\"extra\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + "}"));
        for (String body : bad) {
            expectBadRequest(deliverRaw(body), null);
        }
        // a signature of another shape is refused before any hashing
        expectProblem(deliverRaw(Note.settlement(orderId, AMOUNT).withSignature("f".repeat(60_000)).json()), 401, "invalid-signature");

        assertThat(Db.writtenRows()).isEqualTo(before);
        assertThat(status(orderId)).isEqualTo("PENDING");
        assertThat(metric("webhook_processing_error_total")).isEqualTo(errorsBefore);
    }

    @Test
    void defect1_boundedNumbersAsMidtransMightSendThemAreAccepted() {
        UUID orderId = pendingPayment(midtrans);
        // a numeric gross_amount, signed over its literal text
        String body = "{\"order_id\":\"" + orderId + "\",\"status_code\":200,\"gross_amount\":99000.00,"
                + "\"transaction_status\":\"settlement\",\"fraud_status\":\"accept\",\"transaction_id\":\"t-1\","
                + "\"signature_key\":\"" + MidtransSignature.compute(orderId.toString(), "200", "99000.00", Midtrans.SERVER_KEY)
                + "\"}";

        deliver(body).then().statusCode(200).body("outcome", equalTo("APPLIED"));

        assertThat(status(orderId)).isEqualTo("SETTLED");
    }

    @Test
    void defect1_aSignedRefundWithAHugeRefundAmountIs400() {
        UUID orderId = pendingPayment(midtrans);
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200);
        long before = Db.writtenRows();

        expectBadRequest(deliverRaw(Note.of(orderId).status("refund", "200").amount("99000.00").set("refund_amount", "1E+300000000")
                .json()), "malformed-body");
        expectBadRequest(deliverRaw(Note.of(orderId).status("refund", "200").amount("99000.00")
                .set("refund_amount", "9".repeat(21)).json()), "malformed-body");
        // refund_amount is not signed: it may not claim more than the signed gross_amount
        expectBadRequest(deliverRaw(Note.of(orderId).status("refund", "200").amount("99000.00")
                .set("refund_amount", "99001.00").json()), "malformed-body");

        assertThat(Db.writtenRows()).isEqualTo(before);
    }

    @Test
    void defect1_aGetStatusAnswerWithAHugeAmountIsNotAppliedAndDoesNotHang() {
        UUID orderId = pendingPayment(midtrans);
        midtrans.stubFor(Midtrans.statusOf(orderId).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"order_id\":\"" + orderId + "\",\"status_code\":\"200\",\"transaction_status\":\"settlement\","
                        + "\"gross_amount\":1E+300000000,\"signature_key\":\"" + "0".repeat(128) + "\"}")));

        long started = System.nanoTime();
        reconcile(orderId).then().statusCode(503).contentType("application/problem+json");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(status(orderId)).isEqualTo("PENDING");
        assertThat(Db.count("select count(*) from payments.payment_event")).isZero();
    }

    // --- POST /internal/payments and the admin API ---

    @Test
    void defect1_hugeNumbersExponentsFractionsAndDeepNestingAre400() {
        UUID orderId = UUID.randomUUID();
        String valid = paymentRequest(orderId, AMOUNT, inOneHour());
        List<String> bad = List.of(
                valid.replace("\"amount\": 99000", "\"amount\": 1E+300000000"),
                valid.replace("\"amount\": 99000", "\"amount\": 99000.5"),
                valid.replace("\"amount\": 99000", "\"amount\": 9.9E4"),
                valid.replace("\"amount\": 99000", "\"amount\": " + "9".repeat(5_000)),
                valid.replace("\"amount\": 99000", "\"amount\": 99999999999999999"),
                valid.replace("\"amount\": 99000", "\"amount\": \"99000\""),
                valid.replaceFirst("\"expiresAt\": \"[^\"]+\"", "\"expiresAt\": 1E+300000000"),
                valid.replaceFirst("\"expiresAt\": \"[^\"]+\"", "\"expiresAt\": " + "9".repeat(5_000)),
                valid.replace("\"Budi Santoso\"", "\"" + "B".repeat(60_000) + "\""),
                valid.replace("\"Buat Film Pakai AI\"", "\"" + "x".repeat(60_000) + "\""),
                valid.replace("budi@example.com", "a".repeat(30_000) + "@" + "b".repeat(30_000) + ".com"),
                valid.replace("\"IDR\"", "\"" + "I".repeat(60_000) + "\""),
                valid.replace("\"+6281234567890\"", "\"" + "1".repeat(60_000) + "\""),
                valid.replace("\"Budi Santoso\"", "[".repeat(30_000) + "]".repeat(30_000)),
                valid.replaceFirst("\\{", "{\"unknown\":" + "[".repeat(30_000) + "]".repeat(30_000) + ","),
                valid.replace("\"customer\": {", "\"customer\": {\"x\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + ","));
        for (String body : bad) {
            expectBadRequest(requestRaw(body), null);
        }
        assertThat(Db.writtenRows()).isZero();
        assertThat(midtrans.getAllServeEvents()).isEmpty();
    }

    @Test
    void defect1_theAdminApiRefusesMalformedOrderIds() {
        given().header("Authorization", "Bearer " + dev.lunas.payment.testing.Api.ADMIN_TOKEN)
                .post("/admin/payments/" + "9".repeat(3_000) + "/reconcile")
                .then().statusCode(org.hamcrest.Matchers.both(org.hamcrest.Matchers.greaterThanOrEqualTo(400))
                        .and(org.hamcrest.Matchers.lessThan(500)));
        assertThat(midtrans.getAllServeEvents()).isEmpty();
    }

    /** An answer to a raw POST: RestAssured would pretty-print the hostile bodies when reporting a failure. */
    private record Answer(int status, String contentType, String body, Duration took) {
    }

    private static Answer post(String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        long started = System.nanoTime();
        try {
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(""), answer.body(),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (Exception e) {
            throw new AssertionError("POST " + path + " failed", e);
        }
    }

    private static Answer deliverRaw(String body) {
        return post("/webhooks/midtrans", body, null);
    }

    private static Answer requestRaw(String body) {
        return post("/internal/payments", body, Api.SERVICE_TOKEN);
    }

    private static void expectBadRequest(Answer answer, String problem) {
        expectProblem(answer, 400, problem);
    }

    private static void expectProblem(Answer answer, int status, String problem) {
        String shown = answer.body().length() > 500 ? answer.body().substring(0, 500) + "…" : answer.body();
        assertThat(answer.status()).as(shown).isEqualTo(status);
        assertThat(answer.contentType()).as(shown).startsWith("application/problem+json");
        if (problem != null) {
            assertThat(answer.body()).as(shown).contains("\"https://lunas.dev/problems/" + problem + "\"");
        }
        assertThat(answer.took()).isLessThan(FAST);
    }

    private static double metric(String name) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.eE+-]+)$").matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
