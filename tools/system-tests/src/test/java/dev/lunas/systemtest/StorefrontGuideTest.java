package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.launcher.run.LocalPorts;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12, the guide: every HTTP example in docs/storefront.md is an exchange this test has with the running
 * order-service, as the storefront sends it (from the storefront's origin). The test records each one into
 * target/storefront-examples/NAME.http, then holds the guide's blocks marked {@code <!-- example: NAME -->} against
 * the recordings, after replacing what differs from run to run (ids, tokens, times, ports). A change of the API that
 * the guide would show differently fails here; {@code -Dlunas.storefront.update-guide=true} writes the new recordings
 * into the guide (with ./lunas run's addresses), to be read and committed.
 */
@Order(3)
@ExtendWith(SharedSystem.class)
class StorefrontGuideTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Path GUIDE = Path.of("docs", "storefront.md");
    private static final Pattern BLOCK = Pattern.compile("<!-- example: ([a-z0-9-]+) -->\\n```http\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern ORIGIN = Pattern.compile("http://(127\\.0\\.0\\.1|localhost):\\d+");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    /** The answer headers a storefront acts on; the others (Content-Length, dates) are left out of the guide. */
    private static final List<String> HEADERS = List.of("content-type", "location", "retry-after", "idempotent-replayed",
            "access-control-allow-origin");
    /** What a CORS preflight answers. */
    private static final List<String> PREFLIGHT_HEADERS = List.of("access-control-allow-origin", "access-control-allow-methods",
            "access-control-allow-headers", "access-control-expose-headers", "access-control-max-age");
    private static final String CUSTOMER = "{\"packageId\":\"%s\",\"customer\":{\"name\":\"Budi Santoso\","
            + "\"email\":\"%s\",\"phone\":\"%s\"}}";

    private final Map<String, String> recorded = new LinkedHashMap<>();

    @Test
    void theGuidesExamplesAreWhatOrderServiceAnswers(SystemUnderTest system) throws Exception {
        system.addPackage("kelas-kilat", "Kelas Kilat", 250_000, 7);
        system.addPackage("kelas-penuh", "Kelas Penuh", 150_000, 0);
        String origin = system.storefrontOrigin().toString();

        Map<String, String> preflight = new LinkedHashMap<>();
        preflight.put("Origin", origin);
        preflight.put("Access-Control-Request-Method", "POST");
        preflight.put("Access-Control-Request-Headers", "content-type,idempotency-key");
        exchange(system, "cors-preflight", "OPTIONS", "/api/orders", null, preflight);
        Exchange packages = exchange(system, "list-packages", "GET", "/api/packages", null, Map.of("Origin", origin));
        assertThat(packages.status()).isEqualTo(200);

        String key = UUID.randomUUID().toString();
        String checkout = CUSTOMER.formatted("ai-movie-course", "budi@example.com", "0812-3456-7890");
        Exchange created = exchange(system, "checkout-created", "POST", "/api/orders", checkout, checkoutHeaders(origin, key));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String orderId = created.json().path("orderId").asText();
        String token = created.json().at("/payment/token").asText();
        Exchange replayed = exchange(system, "checkout-replayed", "POST", "/api/orders", checkout, checkoutHeaders(origin, key));
        assertThat(replayed.json().path("orderId").asText()).isEqualTo(orderId);
        assertThat(exchange(system, "checkout-key-reused", "POST", "/api/orders",
                CUSTOMER.formatted("kelas-kilat", "budi@example.com", "0812-3456-7890"), checkoutHeaders(origin, key)).status())
                .isEqualTo(422);
        assertThat(exchange(system, "checkout-invalid", "POST", "/api/orders",
                CUSTOMER.formatted("ai-movie-course", "budi@example", "12345"), checkoutHeaders(origin, UUID.randomUUID().toString()))
                .status()).isEqualTo(400);
        assertThat(exchange(system, "checkout-sold-out", "POST", "/api/orders",
                CUSTOMER.formatted("kelas-penuh", "budi@example.com", "0812-3456-7890"), checkoutHeaders(origin, UUID.randomUUID().toString()))
                .status()).isEqualTo(409);
        assertThat(exchange(system, "checkout-unknown-package", "POST", "/api/orders",
                CUSTOMER.formatted("kelas-lama", "budi@example.com", "0812-3456-7890"), checkoutHeaders(origin, UUID.randomUUID().toString()))
                .status()).isEqualTo(422);

        Exchange pending = exchange(system, "order-pending", "GET", "/api/orders/" + orderId, null, Map.of("Origin", origin));
        assertThat(pending.json().path("status").asText()).isEqualTo("PENDING_PAYMENT");
        Exchange again = exchange(system, "pay-again", "POST", "/api/orders/" + orderId + "/pay", null, Map.of("Origin", origin));
        assertThat(again.json().at("/payment/token").asText()).as("the same Snap payment").isEqualTo(token);
        system.simulator().decide(orderId, Outcome.SETTLEMENT);
        Eventually.soon("the order PAID").until(() -> system.storefront().order(orderId).json().path("status").asText(), "PAID"::equals);
        exchange(system, "order-paid", "GET", "/api/orders/" + orderId, null, Map.of("Origin", origin));
        assertThat(exchange(system, "pay-again-closed", "POST", "/api/orders/" + orderId + "/pay", null, Map.of("Origin", origin))
                .status()).isEqualTo(409);

        Exchange held = exchange(system, "checkout-limited", "POST", "/api/orders",
                CUSTOMER.formatted("kelas-kilat", "sari@example.com", "0813-1111-2222"), checkoutHeaders(origin, UUID.randomUUID().toString()));
        assertThat(held.json().has("placeHeldUntil")).as(held.text()).isTrue();
        String heldId = held.json().path("orderId").asText();
        system.simulator().decide(heldId, Outcome.DENY);
        Eventually.soon("the order FAILED").until(() -> system.storefront().order(heldId).json().path("status").asText(), "FAILED"::equals);
        exchange(system, "order-failed", "GET", "/api/orders/" + heldId, null, Map.of("Origin", origin));

        Path folder = Files.createDirectories(Path.of("target", "storefront-examples"));
        for (Map.Entry<String, String> example : recorded.entrySet()) {
            Files.writeString(folder.resolve(example.getKey() + ".http"), example.getValue(), StandardCharsets.UTF_8);
        }
        Path guide = system.repository().resolve(GUIDE);
        if (Boolean.getBoolean("lunas.storefront.update-guide")) {
            Files.writeString(guide, withRecordings(Files.readString(guide), localRunAddresses(system)), StandardCharsets.UTF_8);
        }
        Map<String, String> inGuide = blocks(Files.readString(guide));
        assertThat(inGuide.keySet()).as("the examples of docs/storefront.md").containsExactlyInAnyOrderElementsOf(recorded.keySet());
        for (Map.Entry<String, String> example : recorded.entrySet()) {
            assertThat(normalised(inGuide.get(example.getKey())))
                    .as("docs/storefront.md's example %s is what the test recorded (target/storefront-examples/%s.http;"
                            + " -Dlunas.storefront.update-guide=true writes it into the guide)", example.getKey(), example.getKey())
                    .isEqualTo(normalised(example.getValue()));
        }
    }

    private record Exchange(int status, String text, JsonNode json) {
    }

    private static Map<String, String> checkoutHeaders(String origin, String key) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Origin", origin);
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", key);
        return headers;
    }

    /** Sends one request to order-service and records it, with its answer, as the guide shows exchanges. */
    private Exchange exchange(SystemUnderTest system, String name, String method, String path, String body,
                              Map<String, String> headers) throws IOException, InterruptedException {
        URI uri = system.baseUrl(Service.ORDER).resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        StringBuilder text = new StringBuilder(method).append(' ').append(path).append('\n');
        headers.forEach((header, value) -> text.append(header).append(": ").append(value).append('\n'));
        if (body != null) {
            text.append('\n').append(pretty(body)).append('\n');
        }
        text.append('\n').append("HTTP/1.1 ").append(answer.statusCode()).append('\n');
        for (String header : method.equals("OPTIONS") ? PREFLIGHT_HEADERS : HEADERS) {
            answer.headers().firstValue(header).ifPresent(value -> text.append(canonical(header)).append(": ").append(value).append('\n'));
        }
        JsonNode json = null;
        if (!answer.body().isEmpty()) {
            json = JSON.readTree(answer.body());
            if (name.equals("list-packages")) {
                json = onlyGuidePackages(json);
            }
            text.append('\n').append(JSON.writeValueAsString(json)).append('\n');
        }
        recorded.put(name, text.toString().stripTrailing());
        return new Exchange(answer.statusCode(), text.toString(), json);
    }

    /** The shared system sells the other tests' packages too: the guide shows the two it is about. */
    private static JsonNode onlyGuidePackages(JsonNode packages) {
        ArrayNode kept = JSON.createArrayNode();
        packages.forEach(offer -> {
            if (List.of("ai-movie-course", "kelas-kilat").contains(offer.path("id").asText())) {
                kept.add(offer);
            }
        });
        return kept;
    }

    private static String pretty(String json) throws IOException {
        return JSON.writeValueAsString(JSON.readTree(json));
    }

    private static String canonical(String header) {
        StringBuilder name = new StringBuilder();
        for (String part : header.split("-")) {
            name.append(name.length() == 0 ? "" : "-").append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }

    /** What differs from run to run: ids, tokens and keys (UUIDs), instants, and the ports of this run's processes. */
    static String normalised(String text) {
        String result = UUID_TEXT.matcher(text).replaceAll("<uuid>");
        result = INSTANT.matcher(result).replaceAll("<instant>");
        return ORIGIN.matcher(result).replaceAll("<origin>").strip();
    }

    static Map<String, String> blocks(String guide) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher matcher = BLOCK.matcher(guide);
        while (matcher.find()) {
            blocks.put(matcher.group(1), matcher.group(2));
        }
        return blocks;
    }

    /** The guide with each example block replaced by its recording, shown with ./lunas run's addresses. */
    private String withRecordings(String guide, Map<String, String> addresses) {
        Matcher matcher = BLOCK.matcher(guide);
        StringBuilder updated = new StringBuilder();
        List<String> missing = new ArrayList<>(recorded.keySet());
        while (matcher.find()) {
            String name = matcher.group(1);
            missing.remove(name);
            String example = recorded.getOrDefault(name, matcher.group(2));
            matcher.appendReplacement(updated, Matcher.quoteReplacement("<!-- example: " + name + " -->\n```http\n"
                    + asLocalRun(example, addresses) + "\n```"));
        }
        matcher.appendTail(updated);
        for (String name : missing) {
            updated.append("\n<!-- example: ").append(name).append(" -->\n```http\n").append(asLocalRun(recorded.get(name), addresses)).append("\n```\n");
        }
        return updated.toString();
    }

    /** This run's addresses → ./lunas run's: the storefront, order-service and the Midtrans simulator. */
    private static Map<String, String> localRunAddresses(SystemUnderTest system) {
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put(system.storefrontOrigin().toString(), "http://localhost:" + LocalPorts.STOREFRONT);
        addresses.put(origin(system.baseUrl(Service.ORDER)), "http://localhost:" + LocalPorts.ORDER_SERVICE);
        addresses.put(origin(system.simulator().baseUrl()), "http://localhost:" + LocalPorts.MIDTRANS_SIMULATOR);
        return addresses;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String asLocalRun(String example, Map<String, String> addresses) {
        String shown = example;
        for (Map.Entry<String, String> address : addresses.entrySet()) {
            shown = shown.replace(address.getKey(), address.getValue());
        }
        return shown;
    }
}
