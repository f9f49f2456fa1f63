package dev.lunas.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.ErrorLogs;
import dev.lunas.order.testing.Http;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.PaymentEvents;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Defect 1 (hardening the money path): hostile JSON of every shape, huge numbers and exponents, deep
 * nesting, 60 KB strings, wrong types, gets a fast 400 problem+json on every JSON input of order-service,
 * writes nothing and logs no error.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class HostileInputTest {

    /** Generous on a busy shared machine; the attacks this guards against take many seconds or minutes. */
    private static final Duration FAST = Duration.ofSeconds(5);
    private static final String LONG = "a".repeat(60 * 1024);
    private static final String DEEP = "[".repeat(5000);
    private static final String CUSTOMER = "{\"name\":\"Budi Santoso\",\"email\":\"budi@example.com\",\"phone\":\"081234567890\"}";

    @InjectPaymentService
    WireMockServer paymentService;

    @Inject
    CircuitBreakerMaintenance breakers;

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void paymentServiceIssuesTokens() {
        breakers.resetAll();
        paymentService.resetAll();
        PaymentServiceStub.issueTokens(paymentService);
    }

    static Stream<Arguments> hostileCheckouts() {
        return Stream.of(
                Arguments.of("huge exponent as packageId", checkout("1E+300000000", CUSTOMER, null)),
                Arguments.of("huge exponent as name", checkout("\"ai-movie-course\"", customer("1e999999999", "\"budi@example.com\"", "\"081234567890\""), null)),
                Arguments.of("huge exponent as discountCode", checkout("\"ai-movie-course\"", CUSTOMER, "1e999999999")),
                Arguments.of("huge integer as phone", checkout("\"ai-movie-course\"", customer("\"Budi\"", "\"budi@example.com\"", "9".repeat(5000)), null)),
                Arguments.of("huge exponent in an unknown field", "{\"price\":1E+300000000,\"amount\":1e999999999,\"packageId\":\"ai-movie-course\"}"),
                Arguments.of("deep nesting as customer", checkout("\"ai-movie-course\"", DEEP, null)),
                Arguments.of("deep nesting in an unknown field", "{\"packageId\":\"ai-movie-course\",\"x\":" + DEEP),
                Arguments.of("deep nesting of objects", "{\"packageId\":\"ai-movie-course\",\"x\":" + "{\"a\":".repeat(5000)),
                Arguments.of("60 KB packageId", checkout("\"" + LONG + "\"", CUSTOMER, null)),
                Arguments.of("60 KB name", checkout("\"ai-movie-course\"", customer("\"" + LONG + "\"", "\"budi@example.com\"", "\"081234567890\""), null)),
                Arguments.of("60 KB name of spaces", checkout("\"ai-movie-course\"", customer("\"" + " ".repeat(60 * 1024) + "\"", "\"budi@example.com\"", "\"081234567890\""), null)),
                Arguments.of("60 KB email", checkout("\"ai-movie-course\"", customer("\"Budi\"", "\"" + LONG + "@example.com\"", "\"081234567890\""), null)),
                Arguments.of("60 KB phone", checkout("\"ai-movie-course\"", customer("\"Budi\"", "\"budi@example.com\"", "\"08" + "1".repeat(60 * 1024) + "\""), null)),
                Arguments.of("60 KB phone of separators", checkout("\"ai-movie-course\"", customer("\"Budi\"", "\"budi@example.com\"", "\"0812" + "-".repeat(60 * 1024) + "34567890\""), null)),
                Arguments.of("60 KB discountCode", checkout("\"ai-movie-course\"", CUSTOMER, "\"" + LONG + "\"")),
                Arguments.of("60 KB field name", "{\"" + LONG + "\":1}"),
                Arguments.of("number as name", checkout("\"ai-movie-course\"", customer("12345", "\"budi@example.com\"", "\"081234567890\""), null)),
                Arguments.of("boolean as discountCode", checkout("\"ai-movie-course\"", CUSTOMER, "true")),
                Arguments.of("array as packageId", checkout("[\"ai-movie-course\"]", CUSTOMER, null)),
                Arguments.of("object as email", checkout("\"ai-movie-course\"", customer("\"Budi\"", "{\"a\":1}", "\"081234567890\""), null)),
                Arguments.of("string as customer", checkout("\"ai-movie-course\"", "\"Budi\"", null)),
                Arguments.of("a field given twice", "{\"packageId\":\"no-such-package\",\"packageId\":\"ai-movie-course\",\"customer\":" + CUSTOMER + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileCheckouts")
    void defect1_hostileCheckoutBodyIsRefusedFastWithoutWritingOrLoggingErrors(String attack, String body) {
        Map<String, Long> before = Db.tableCounts();

        HttpResponse<String> response = refusedFast(() -> Http.checkout(base, Checkouts.key(), body));

        assertRefused(attack, response);
        assertThat(Db.tableCounts()).isEqualTo(before);
        assertThat(PaymentServiceStub.calls(paymentService)).isZero();
    }

    static Stream<Arguments> hostileEvents() {
        return Stream.of(
                Arguments.of("huge exponent as grossAmount", payload("grossAmount", "1E+300000000")),
                Arguments.of("huge negative exponent as grossAmount", payload("grossAmount", "1E-300000000")),
                Arguments.of("exponent past int as grossAmount", payload("grossAmount", "1e999999999")),
                Arguments.of("exponent past long as grossAmount", payload("grossAmount", "1e99999999999")),
                Arguments.of("huge exponent as refundAmount", payload("refundAmount", "1E+300000000")),
                Arguments.of("1000 digits as grossAmount", payload("grossAmount", "9".repeat(1000))),
                Arguments.of("5000 digits as grossAmount", payload("grossAmount", "9".repeat(5000))),
                Arguments.of("long overflow as grossAmount", payload("grossAmount", "9223372036854775808")),
                Arguments.of("fraction as grossAmount", payload("grossAmount", "99000.5")),
                Arguments.of("float as grossAmount", payload("grossAmount", "99000.0")),
                Arguments.of("exponent form of the amount", payload("grossAmount", "9.9E4")),
                Arguments.of("string as grossAmount", payload("grossAmount", "\"99000\"")),
                Arguments.of("negative grossAmount", payload("grossAmount", "-99000")),
                Arguments.of("boolean as grossAmount", payload("grossAmount", "true")),
                Arguments.of("huge exponent as occurredAt", payload("occurredAt", "1e999999999")),
                Arguments.of("huge number as occurredAt", payload("occurredAt", "1E+300000000")),
                Arguments.of("huge exponent as envelope occurredAt", envelope("occurredAt", "1E+300000000")),
                Arguments.of("huge exponent as eventId", envelope("eventId", "1E+300000000")),
                Arguments.of("number as eventType", envelope("eventType", "1e999999999")),
                Arguments.of("string as late", payload("late", "\"yes\"")),
                Arguments.of("number as late", payload("late", "1")),
                Arguments.of("object as transactionId", payload("transactionId", "{\"a\":1}")),
                Arguments.of("number as transactionId", payload("transactionId", "12345")),
                Arguments.of("deep nesting as payload", envelope("payload", DEEP)),
                Arguments.of("deep nesting inside the payload", payload("extra", DEEP)),
                Arguments.of("deep nesting of objects inside the payload", payload("extra", "{\"a\":".repeat(5000))),
                Arguments.of("nesting just under the parser limit inside the payload", payload("extra", "[".repeat(990) + "]".repeat(990))),
                Arguments.of("string as payload", envelope("payload", "\"" + LONG + "\"")),
                Arguments.of("60 KB eventId", envelope("eventId", "\"" + LONG + "\"")),
                Arguments.of("60 KB eventType", envelope("eventType", "\"" + LONG + "\"")),
                Arguments.of("60 KB aggregateType", envelope("aggregateType", "\"" + LONG + "\"")),
                Arguments.of("60 KB aggregateId", envelope("aggregateId", "\"" + LONG + "\"")),
                Arguments.of("60 KB orderId", payload("orderId", "\"" + LONG + "\"")),
                Arguments.of("60 KB transactionId", payload("transactionId", "\"" + LONG + "\"")),
                Arguments.of("60 KB transactionStatus", payload("transactionStatus", "\"" + LONG + "\"")),
                Arguments.of("60 KB fraudStatus", payload("fraudStatus", "\"" + LONG + "\"")),
                Arguments.of("60 KB paymentType", payload("paymentType", "\"" + LONG + "\"")),
                Arguments.of("60 KB currency", payload("currency", "\"" + LONG + "\"")),
                Arguments.of("60 KB source", payload("source", "\"" + LONG + "\"")),
                Arguments.of("60 KB field name in the payload", payload("\"" + LONG + "\"", "1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileEvents")
    void defect1_hostilePaymentEventIsRefusedFastWithoutWritingOrLoggingErrors(String attack, Template template) {
        UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
        Map<String, Long> before = Db.tableCounts();

        String body = template.fill(orderId);

        HttpResponse<String> response = refusedFast(() -> Http.paymentEvent(base, PaymentEvents.RELAY_TOKEN, body));

        assertRefused(attack, response);
        assertThat(Db.tableCounts()).isEqualTo(before);
        assertThat(Db.orderStatus(orderId)).isEqualTo("PENDING_PAYMENT");
    }

    /** A payment event for an order that exists only once the test has created it. */
    @FunctionalInterface
    interface Template {
        String fill(UUID orderId);
    }

    /**
     * Sends with a plain HTTP client (rest-assured spends seconds on a deeply nested body itself), timing the
     * server's answer and collecting the errors it logs meanwhile.
     */
    private static HttpResponse<String> refusedFast(Supplier<HttpResponse<String>> request) {
        try (ErrorLogs logs = ErrorLogs.open()) {
            long started = System.nanoTime();
            HttpResponse<String> response = request.get();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered fast").isLessThan(FAST);
            assertThat(logs.errors()).as("errors logged").isEmpty();
            return response;
        }
    }

    private static void assertRefused(String attack, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(attack + ": " + abbreviate(response.body())).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body().length()).as("the answer does not echo the input").isLessThan(4096);
    }

    private static Template payload(String field, String rawValue) {
        return orderId -> event(orderId, "payload", payloadJson(orderId, field, rawValue));
    }

    private static Template envelope(String field, String rawValue) {
        return orderId -> event(orderId, field, rawValue);
    }

    /** A valid PaymentSettled envelope for the order, with one top-level field set to raw JSON. */
    private static String event(UUID orderId, String field, String rawValue) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("eventId", "\"" + UUID.randomUUID() + "\"");
        fields.put("eventType", "\"PaymentSettled\"");
        fields.put("aggregateType", "\"payment\"");
        fields.put("aggregateId", "\"" + orderId + "\"");
        fields.put("occurredAt", "\"" + Instant.now() + "\"");
        fields.put("payload", payloadJson(orderId, "grossAmount", "99000"));
        fields.put(field, rawValue);
        return object(fields);
    }

    /** A valid settlement of the order, with one field set to raw JSON (a quoted name adds that field first). */
    private static String payloadJson(UUID orderId, String field, String rawValue) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (field.startsWith("\"")) {
            fields.put(field.substring(1, field.length() - 1), rawValue);
        }
        fields.put("orderId", "\"" + orderId + "\"");
        fields.put("transactionId", "\"tx-" + orderId + "\"");
        fields.put("transactionStatus", "\"settlement\"");
        fields.put("fraudStatus", "\"accept\"");
        fields.put("paymentType", "\"bank_transfer\"");
        fields.put("grossAmount", "99000");
        fields.put("currency", "\"IDR\"");
        fields.put("refundAmount", "null");
        fields.put("source", "\"WEBHOOK\"");
        fields.put("late", "false");
        fields.put("occurredAt", "\"" + Instant.now() + "\"");
        if (!field.startsWith("\"")) {
            fields.put(field, rawValue);
        }
        return object(fields);
    }

    private static String object(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append('"').append(name).append("\":").append(value).append(','));
        json.setLength(json.length() - 1);
        return json.append('}').toString();
    }

    private static String checkout(String packageId, String customer, String discountCode) {
        return "{\"packageId\":" + packageId + ",\"customer\":" + customer
                + (discountCode == null ? "" : ",\"discountCode\":" + discountCode) + "}";
    }

    private static String customer(String name, String email, String phone) {
        return "{\"name\":" + name + ",\"email\":" + email + ",\"phone\":" + phone + "}";
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
