package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.Customer;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12, the contract: order-service's live OpenAPI document, as the storefront team gets it, lints clean under
 * Redocly's recommended rules, generates the TypeScript types the storefront module is type-checked against (strict),
 * and generates exactly the committed files (tools/storefront/contract's openapi.json and src/lunas-api.d.ts, and
 * tools/storefront/web/vendor/lunas-storefront.js), so a change of the API shows here as a diff or a type error.
 * The document's examples are then held against what the running service really answers, and payment-service's
 * document (Midtrans's notification URL) is linted the same way.
 */
@Order(1)
@ExtendWith(SharedSystem.class)
class StorefrontContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** npm ci downloads the pinned tools on a fresh clone; linting and generating take seconds. */
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);

    private static JsonNode document;
    private static Path documentFile;

    @BeforeAll
    static void readTheLiveDocument(SystemUnderTest system) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(system, "/q/openapi?format=json")).GET());
        assertThat(answer.statusCode()).as("GET /q/openapi: %s", answer.body()).isEqualTo(200);
        document = JSON.readTree(answer.body());
        documentFile = Files.createDirectories(system.runDirectory().resolve("contract")).resolve("order-service-openapi.json");
        Files.writeString(documentFile, answer.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theLiveDocumentLintsCleanTypeChecksTheStorefrontModuleAndGeneratesTheCommittedFiles(SystemUnderTest system)
            throws Exception {
        String output = contractTool(system, "generate", "--check", documentFile.toString());

        assertThat(output).contains("lint: no errors, no warnings", "tsc: src/lunas-storefront.ts type-checks",
                "check: openapi.json, src/lunas-api.d.ts and web/vendor/lunas-storefront.js are what the document generates");
    }

    @Test
    void paymentServicesDocumentIsTheMidtransNotificationUrlAndLintsClean(SystemUnderTest system) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(system.baseUrl(Service.PAYMENT).resolve("/q/openapi?format=json")).GET());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode payment = JSON.readTree(answer.body());
        assertThat(names(payment.path("paths"))).containsExactly("/webhooks/midtrans");
        assertThat(payment.at("/paths/~1webhooks~1midtrans/post/operationId").asText()).isEqualTo("receiveMidtransNotification");
        Path file = system.runDirectory().resolve("contract/payment-service-openapi.json");
        Files.writeString(file, answer.body(), StandardCharsets.UTF_8);

        assertThat(contractTool(system, "lint", file.toString())).contains("lint: no errors, no warnings");
    }

    /** Runs a script of tools/storefront/contract; answers its output once it succeeded. */
    private static String contractTool(SystemUnderTest system, String script, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(system.repository().resolve("tools/storefront/contract").resolve(script).toString());
        command.addAll(List.of(arguments));
        Path log = system.runDirectory().resolve("contract/" + script + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("%s ended within %s:%n%s", command, TOOL_TIMEOUT, output).isTrue();
        assertThat(process.exitValue()).as("%s:%n%s", command, output).isZero();
        return output;
    }

    @Test
    void everyOperationHasAnOperationIdNeedsNoCredentialsAndDocumentsItsErrors() {
        List<String> operationIds = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                JsonNode operation = method.getValue();
                String name = method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                operationIds.add(operation.path("operationId").asText());
                assertThat(operation.path("security").isArray() && operation.path("security").isEmpty())
                        .as("%s says it needs no credentials (security: [])", name).isTrue();
                assertThat(operation.path("responses").has("503")).as("%s documents 503", name).isTrue();
                assertThat(operation.path("responses").has("4XX")).as("%s documents other client errors", name).isTrue();
            }
        }

        assertThat(operationIds).containsExactlyInAnyOrder("listPackages", "createCheckout", "getOrder", "payAgain");
        assertThat(document.path("paths").has("/internal/payment-events")).isFalse();
        assertThat(document.path("paths").has("/api/entitlements")).isFalse();
        assertThat(document.path("servers").path(0).path("url").asText()).isNotBlank();
    }

    @Test
    void theDocumentedAnswersAreTheOnesTheServiceGives(SystemUnderTest system) throws Exception {
        String checkout = "/paths/~1api~1orders/post/responses";
        Customer customer = system.customers().next();

        // 201 with the fields the example shows; the order's status and pay-again answer the same order
        HttpResponse<String> bought = checkout(system, UUID.randomUUID().toString(), body("ai-movie-course", customer));
        assertThat(bought.statusCode()).as("checkout: %s", bought.body()).isEqualTo(201);
        assertThat(bought.headers().firstValue("Location")).isPresent();
        assertSameFields(json(bought), example("orderPendingPayment"), "a pending order");
        String orderId = json(bought).path("orderId").asText();
        HttpResponse<String> status = send(HttpRequest.newBuilder(uri(system, "/api/orders/" + orderId)).GET());
        assertThat(status.statusCode()).isEqualTo(200);
        assertSameFields(json(status), example("orderPendingPayment"), "the order's status");
        HttpResponse<String> payAgain = send(HttpRequest.newBuilder(uri(system, "/api/orders/" + orderId + "/pay"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(payAgain.statusCode()).as("pay again: %s", payAgain.body()).isEqualTo(200);
        assertThat(json(payAgain).path("payment").path("token").asText())
                .isEqualTo(json(bought).path("payment").path("token").asText());

        // 400: an invalid field, the header missing, a malformed key
        ObjectNode invalidPhone = body("ai-movie-course", customer);
        ((ObjectNode) invalidPhone.path("customer")).put("phone", "12345");
        HttpResponse<String> invalid = checkout(system, UUID.randomUUID().toString(), invalidPhone);
        assertDocumented(invalid, checkout, "400", "validationFailed");
        assertThat(json(invalid).path("errors").path(0).path("field").asText()).isEqualTo("customer.phone");
        assertDocumented(checkout(system, null, body("ai-movie-course", customer)), checkout, "400", "idempotencyKeyMissing");
        assertDocumented(checkout(system, "short", body("ai-movie-course", customer)), checkout, "400", "idempotencyKeyInvalid");

        // 422: an unknown package; a key used again for another request
        assertDocumented(checkout(system, UUID.randomUUID().toString(), body("no-such-package", customer)), checkout, "422",
                "unknownPackage");
        String key = UUID.randomUUID().toString();
        assertThat(checkout(system, key, body("ai-movie-course", system.customers().next())).statusCode()).isEqualTo(201);
        assertDocumented(checkout(system, key, body("ai-movie-course", system.customers().next())), checkout, "422",
                "idempotencyKeyReused");

        // 409 sold-out for the second buyer of a one-place package, replayed under its key
        String limited = "kontrak-" + UUID.randomUUID().toString().substring(0, 8);
        system.addPackage(limited, "Kelas Kontrak", 150_000, 1);
        assertThat(checkout(system, UUID.randomUUID().toString(), body(limited, system.customers().next())).statusCode())
                .isEqualTo(201);
        String lateKey = UUID.randomUUID().toString();
        ObjectNode late = body(limited, system.customers().next());
        assertDocumented(checkout(system, lateKey, late), checkout, "409", "soldOut");
        HttpResponse<String> replayed = checkout(system, lateKey, late);
        assertDocumented(replayed, checkout, "409", "soldOut");
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        // the shared answers: no such order; a request the API does not take
        assertThat(document.at("/paths/~1api~1orders~1{orderId}/get/responses/404/$ref").asText())
                .isEqualTo("#/components/responses/OrderNotFound");
        assertProblemLike(send(HttpRequest.newBuilder(uri(system, "/api/orders/" + UUID.randomUUID())).GET()), 404,
                example("orderNotFound"));
        assertThat(document.at("/paths/~1api~1packages/get/responses/4XX/$ref").asText())
                .isEqualTo("#/components/responses/ClientError");
        assertProblemLike(send(HttpRequest.newBuilder(uri(system, "/api/packages")).header("Accept", "text/html").GET()),
                406, example("notAcceptable"));
    }

    /** The answer has the status under which the operation documents the example, and the example's problem type. */
    private static void assertDocumented(HttpResponse<String> answer, String responses, String status, String exampleName) {
        JsonNode documented = document.at(responses + "/" + status + "/content/application~1problem+json/examples");
        List<String> refs = new ArrayList<>();
        documented.forEach(example -> refs.add(example.path("$ref").asText()));
        assertThat(refs).as("%s %s lists the example %s", responses, status, exampleName)
                .contains("#/components/examples/" + exampleName);
        assertProblemLike(answer, Integer.parseInt(status), example(exampleName));
    }

    private static void assertProblemLike(HttpResponse<String> answer, int status, JsonNode example) {
        assertThat(answer.statusCode()).as("%s", answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/problem+json"));
        JsonNode problem = json(answer);
        for (String field : List.of("type", "title", "status")) {
            assertThat(problem.path(field)).as("%s of %s", field, answer.body()).isEqualTo(example.path(field));
        }
        assertSameFields(problem, example, "the problem " + example.path("type").asText());
    }

    /** Same field names: the example shows every field the answer has, and no other. */
    private static void assertSameFields(JsonNode answer, JsonNode example, String what) {
        assertThat(names(answer)).as("fields of %s: %s", what, answer).containsExactlyInAnyOrderElementsOf(names(example));
    }

    private static List<String> names(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }

    private static JsonNode example(String name) {
        JsonNode example = document.path("components").path("examples").path(name).path("value");
        assertThat(example.isMissingNode()).as("components.examples.%s", name).isFalse();
        return example;
    }

    private static ObjectNode body(String packageId, Customer customer) {
        ObjectNode body = JSON.createObjectNode().put("packageId", packageId);
        body.putObject("customer").put("name", customer.name()).put("email", customer.email()).put("phone", customer.phone());
        return body;
    }

    private static HttpResponse<String> checkout(SystemUnderTest system, String key, JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(system, "/api/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(SystemUnderTest system, String path) {
        return system.baseUrl(Service.ORDER).resolve(path);
    }

    private static JsonNode json(HttpResponse<String> answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (HTTP " + answer.statusCode() + "): " + answer.body(), e);
        }
    }
}
