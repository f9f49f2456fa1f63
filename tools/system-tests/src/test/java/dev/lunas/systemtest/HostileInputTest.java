package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.ServiceLogs;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 8, "Done when": no request of any size or shape to any endpoint makes a service answer 5xx or log an
 * error, and a rejected request writes nothing. Every endpoint of the three packaged services gets the same
 * hostile bodies (huge exponents, deep nesting, long strings, wrong types, bytes that are not UTF-8), with the
 * right credential where one is needed, so the request reaches the code that reads it.
 */
@Order(9)
@ExtendWith(SharedSystem.class)
class HostileInputTest {

    private static final Http HTTP = new Http(Duration.ofSeconds(30));
    /** Every id a hostile body names: whatever happens, no row may appear for one of them. */
    private static final String ORDER_ID = UUID.randomUUID().toString();
    private static final String EVENT_ID = UUID.randomUUID().toString();
    private static final String EMAIL = "hostile-" + UUID.randomUUID() + "@example.com";
    private static final String LONG = "x".repeat(60_000);

    private record Call(Service service, String method, String path, String token, String body) {
    }

    private final List<String> idempotencyKeys = new ArrayList<>();

    @Test
    void noBodyOfAnyShapeGetsA5xxAnErrorLogOrAWrite(SystemUnderTest system) throws Exception {
        ServiceLogs logs = system.logs();
        int linesBefore = logs.lines().size();

        List<String> answers = new ArrayList<>();
        for (Call call : calls(system)) {
            HttpResponse<String> answer = send(system, call);
            String what = call.method() + " " + call.service() + " " + call.path().substring(0, Math.min(60, call.path().length()))
                    + " body " + abbreviated(call.body()) + " → " + answer.statusCode();
            answers.add(what);
            assertThat(answer.statusCode()).as(what + " " + abbreviated(answer.body())).isBetween(400, 499);
            if (answer.statusCode() != 431) {
                assertThat(answer.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
            }
        }

        assertThat(rowsNamedByTheBodies(system)).as("rows written by %d hostile requests", answers.size())
                .allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
        List<String> errors = logs.lines().stream().skip(linesBefore).map(ServiceLogs.Line::text)
                .filter(line -> line.contains("\"level\":\"ERROR\"") || line.contains("OutOfMemoryError")
                        || line.contains("StackOverflowError"))
                .toList();
        assertThat(errors).as("error lines logged while answering %s", answers).isEmpty();
    }

    private static List<Call> calls(SystemUnderTest system) {
        List<String> bodies = hostileBodies();
        List<Call> calls = new ArrayList<>();
        for (String body : bodies) {
            calls.add(new Call(Service.ORDER, "POST", "/api/orders", null, body));
            calls.add(new Call(Service.ORDER, "POST", "/internal/payment-events", system.relayToken(), body));
            calls.add(new Call(Service.PAYMENT, "POST", SystemUnderTest.WEBHOOK_PATH, null, body));
            calls.add(new Call(Service.PAYMENT, "POST", "/internal/payments", system.paymentsToken(), body));
        }
        String orderId = ORDER_ID;
        for (String field : List.of("order_id", "status_code", "gross_amount", "transaction_status", "fraud_status",
                "transaction_id", "refund_amount", "currency", "settlement_time")) {
            calls.add(new Call(Service.PAYMENT, "POST", SystemUnderTest.WEBHOOK_PATH, null,
                    signedNotification(system, orderId, field)));
        }
        String hugeId = URLEncoder.encode(LONG, StandardCharsets.UTF_8);
        calls.add(new Call(Service.ORDER, "GET", "/api/orders/" + hugeId.substring(0, 8_000), null, null));
        calls.add(new Call(Service.ORDER, "POST", "/api/orders/" + hugeId.substring(0, 8_000) + "/pay", null, null));
        calls.add(new Call(Service.ORDER, "GET", "/api/orders/1E%2B300000000", null, null));
        calls.add(new Call(Service.PAYMENT, "POST", "/admin/payments/1E%2B300000000/reconcile", system.adminToken(), null));
        calls.add(new Call(Service.NOTIFICATION, "GET", "/admin/deliveries?limit=1E%2B300000000&before=-1", system.adminToken(), null));
        calls.add(new Call(Service.NOTIFICATION, "GET", "/admin/deliveries?status=" + hugeId.substring(0, 8_000), system.adminToken(), null));
        calls.add(new Call(Service.NOTIFICATION, "POST", "/admin/outbox/nowhere/1E%2B300000000/requeue", system.adminToken(), null));
        return calls;
    }

    /** Shapes a parser or a converter can be made to pay for; each under the 64 KiB body limit. */
    private static List<String> hostileBodies() {
        List<String> bodies = new ArrayList<>();
        bodies.add("{\"order_id\":\"x\",\"status_code\":\"200\",\"gross_amount\":1E+300000000,\"signature_key\":\"0\"}");
        // a valid checkout but for one number where text belongs (unknown fields would merely be ignored)
        bodies.add("{\"packageId\":\"ai-movie-course\",\"customer\":{\"name\":1e999999999,\"email\":\"" + EMAIL + "\","
                + "\"phone\":\"081234567890\"},\"discountCode\":-1E-999999999}");
        bodies.add("{\"eventId\":\"" + EVENT_ID + "\",\"eventType\":\"PaymentSettled\",\"payload\":{\"orderId\":\""
                + ORDER_ID + "\",\"grossAmount\":1E+300000000,\"refundAmount\":9" + "9".repeat(5000) + "}}");
        bodies.add("{\"orderId\":\"" + ORDER_ID + "\",\"amount\":1E+300000000,\"currency\":\"IDR\"}");
        bodies.add("[".repeat(20_000) + "]".repeat(20_000));
        bodies.add("{\"a\":".repeat(6_000) + "1" + "}".repeat(6_000));
        bodies.add("{\"packageId\":\"" + LONG + "\",\"order_id\":\"" + LONG.substring(0, 1000) + "\"}");
        bodies.add("{\"customer\":{\"name\":" + "9".repeat(60_000) + "}}");
        bodies.add("{\"packageId\":[1,2,3],\"customer\":\"budi\",\"order_id\":{\"$gt\":\"\"},\"eventId\":true}");
        bodies.add("\"\\uD800\\uDFFF\\u0000\"");
        bodies.add("null");
        bodies.add("");
        return bodies;
    }

    /** A correctly signed notification (the signature covers order_id, status_code, gross_amount) with one field poisoned. */
    private static String signedNotification(SystemUnderTest system, String orderId, String poisoned) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("order_id", "\"" + orderId + "\"");
        fields.put("status_code", "\"200\"");
        fields.put("gross_amount", "\"99000.00\"");
        fields.put("transaction_status", "\"settlement\"");
        fields.put("fraud_status", "\"accept\"");
        fields.put("transaction_id", "\"tx-hostile\"");
        fields.put("currency", "\"IDR\"");
        String value = Set.of("gross_amount", "refund_amount").contains(poisoned) ? "1E+300000000" : "\"" + LONG + "\"";
        fields.put(poisoned, value);
        String signedAmount = fields.get("gross_amount").startsWith("\"") ? fields.get("gross_amount").replace("\"", "") : "1E+300000000";
        String signedOrder = fields.get("order_id").replace("\"", "");
        String signedCode = fields.get("status_code").replace("\"", "");
        fields.put("signature_key", "\"" + sha512(signedOrder + signedCode + signedAmount + system.midtransServerKey()) + "\"");
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, text) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(text));
        return json.append('}').toString();
    }

    private HttpResponse<String> send(SystemUnderTest system, Call call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.baseUrl(call.service()) + call.path()));
        if (call.token() != null) {
            request.header("Authorization", "Bearer " + call.token());
        }
        if (call.path().equals("/api/orders")) {
            // a well-formed key, so that the body itself is what gets judged
            String key = UUID.randomUUID().toString();
            idempotencyKeys.add(key);
            request.header("Idempotency-Key", key);
        }
        if ("POST".equals(call.method())) {
            request.header("Content-Type", "application/json")
                    .POST(call.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(call.body()));
        } else {
            request.GET();
        }
        return HTTP.send(request);
    }

    /** Rows, table by table, that carry an id, key or address only the hostile bodies used. */
    private Map<String, Long> rowsNamedByTheBodies(SystemUnderTest system) throws SQLException {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("orders.customer_order", "select count(*) from orders.customer_order where id::text = ? or customer_email = ?");
        queries.put("orders.processed_event", "select count(*) from orders.processed_event where event_id::text = ? or order_id::text = ?");
        queries.put("orders.audit_log", "select count(*) from orders.audit_log where order_id::text = ? or order_id::text = ?");
        queries.put("payments.payment_attempt", "select count(*) from payments.payment_attempt where order_id::text = ? or order_id::text = ?");
        queries.put("payments.payment_event", "select count(*) from payments.payment_event where order_id in (?, ?, 'x')");
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = system.connect()) {
            for (Map.Entry<String, String> query : queries.entrySet()) {
                try (var statement = connection.prepareStatement(query.getValue())) {
                    statement.setString(1, query.getKey().equals("orders.processed_event") ? EVENT_ID : ORDER_ID);
                    statement.setString(2, query.getKey().equals("orders.customer_order") ? EMAIL : ORDER_ID);
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        counts.put(query.getKey(), rows.getLong(1));
                    }
                }
            }
            try (var statement = connection.prepareStatement(
                    "select count(*) from orders.idempotency_key where idempotency_key = any (?)")) {
                statement.setArray(1, connection.createArrayOf("text", idempotencyKeys.toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    counts.put("orders.idempotency_key", rows.getLong(1));
                }
            }
        }
        return counts;
    }

    private static String sha512(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviated(String text) {
        if (text == null) {
            return "(none)";
        }
        return text.length() <= 80 ? text : text.substring(0, 80) + "…(" + text.length() + " chars)";
    }
}
