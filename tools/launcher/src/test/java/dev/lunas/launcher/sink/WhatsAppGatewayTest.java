package dev.lunas.launcher.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WhatsAppGatewayTest {

    private static final Http HTTP = new Http(Duration.ofSeconds(20));

    private static final String TOKEN = "EAAG-local-token";
    private static final String PHONE_NUMBER_ID = "100000000000001";

    @TempDir
    Path folder;

    private Outbox outbox;
    private OutboxServer server;

    @BeforeEach
    void start() {
        outbox = new Outbox(folder);
        server = OutboxServer.start(0, outbox, new WhatsAppGateway(TOKEN, PHONE_NUMBER_ID, outbox, line -> { }));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String template(String to) {
        return """
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"%s","type":"template",
                 "template":{"name":"payment_instructions","language":{"code":"id"},
                   "components":[{"type":"body","parameters":[{"type":"text","text":"Budi Santoso"},
                                                              {"type":"currency","currency":{"fallback_value":"Rp 99.000","code":"IDR","amount_1000":99000000}}]},
                                 {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"66e4fa55"}]}]}}
                """.formatted(to);
    }

    private HttpResponse<String> send(String path, String body, String token) {
        return token == null
                ? HTTP.postJson(url(path), body)
                : HTTP.postJson(url(path), body, "Authorization", "Bearer " + token);
    }

    @Test
    void acceptsATemplateMessageLikeTheCloudApiAndKeepsIt() throws IOException {
        HttpResponse<String> accepted = send("/" + PHONE_NUMBER_ID + "/messages", template("+6281234567890"), TOKEN);

        assertThat(accepted.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(accepted.body());
        assertThat(body.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(body.path("contacts").get(0).path("input").asText()).isEqualTo("+6281234567890");
        assertThat(body.path("contacts").get(0).path("wa_id").asText()).isEqualTo("6281234567890");
        String id = body.path("messages").get(0).path("id").asText();
        assertThat(id).startsWith("wamid.");
        assertThat(body.path("messages").get(0).path("message_status").asText()).isEqualTo("accepted");

        assertThat(outbox.messages()).singleElement().satisfies(message -> {
            assertThat(message.channel()).isEqualTo(Outbox.Channel.WHATSAPP);
            assertThat(message.to()).isEqualTo("6281234567890");
            assertThat(message.title()).isEqualTo("payment_instructions");
            assertThat(message.lines()).containsExactly("body: Budi Santoso", "body: Rp 99.000", "button[0]: 66e4fa55");
            assertThat(message.file().getFileName().toString()).endsWith("-6281234567890.json");
        });
        JsonNode kept = Json.MAPPER.readTree(outbox.messages().get(0).file().toFile());
        assertThat(kept.path("id").asText()).isEqualTo(id);
        assertThat(kept.path("language").asText()).isEqualTo("id");
        assertThat(kept.path("request").path("template").path("name").asText()).isEqualTo("payment_instructions");
    }

    @Test
    void forLoadRunsItAnswersTheSameButKeepsNoFile() throws IOException {
        Outbox untouched = new Outbox(folder.resolve("load"));
        try (OutboxServer load = OutboxServer.start(0, untouched,
                new WhatsAppGateway(TOKEN, PHONE_NUMBER_ID, untouched, line -> { }, false))) {
            HttpResponse<String> accepted = HTTP.postJson(URI.create("http://localhost:" + load.port() + "/" + PHONE_NUMBER_ID + "/messages"),
                    template("+6281234567890"), "Authorization", "Bearer " + TOKEN);

            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(accepted.body()).path("messages").get(0).path("id").asText()).startsWith("wamid.");
        }
        assertThat(untouched.messages()).isEmpty();
    }

    @Test
    void acceptsTheGraphApiVersionPrefixAndPlainText() {
        HttpResponse<String> accepted = send("/v21.0/" + PHONE_NUMBER_ID + "/messages",
                "{\"messaging_product\":\"whatsapp\",\"to\":\"6281234567890\",\"type\":\"text\",\"text\":{\"body\":\"Halo\"}}", TOKEN);

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(outbox.messages()).singleElement().satisfies(message -> assertThat(message.lines()).containsExactly("Halo"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"081234567890", "+62 812 3456 7890", "62812", "budi"})
    void refusesANumberNotInInternationalFormat(String to) throws IOException {
        HttpResponse<String> refused = send("/" + PHONE_NUMBER_ID + "/messages", template(to), TOKEN);

        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(refused.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(100);
        assertThat(error.path("message").asText()).isEqualTo("(#100) Invalid parameter");
        assertThat(error.path("error_data").path("details").asText()).contains("international format");
        assertThat(error.path("fbtrace_id").asText()).isNotBlank();
        assertThat(outbox.messages()).isEmpty();
    }

    @Test
    void refusesAMissingOrWrongTokenAndAnUnknownPhoneNumberId() throws IOException {
        HttpResponse<String> noToken = send("/" + PHONE_NUMBER_ID + "/messages", template("6281234567890"), null);
        HttpResponse<String> wrongToken = send("/" + PHONE_NUMBER_ID + "/messages", template("6281234567890"), "stolen");
        HttpResponse<String> otherNumber = send("/999/messages", template("6281234567890"), TOKEN);

        for (HttpResponse<String> unauthorized : List.of(noToken, wrongToken)) {
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            assertThat(Json.MAPPER.readTree(unauthorized.body()).path("error").path("code").asInt()).isEqualTo(190);
        }
        assertThat(otherNumber.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(otherNumber.body()).path("error").path("type").asText()).isEqualTo("GraphMethodException");
        assertThat(outbox.messages()).isEmpty();
    }

    @Test
    void refusesMalformedMessages() throws IOException {
        String path = "/" + PHONE_NUMBER_ID + "/messages";
        List<String> malformed = List.of(
                "not json",
                "{\"to\":\"6281234567890\",\"type\":\"template\",\"template\":{\"name\":\"x\",\"language\":{\"code\":\"id\"}}}",
                "{\"messaging_product\":\"whatsapp\",\"to\":\"6281234567890\",\"type\":\"template\",\"template\":{\"language\":{\"code\":\"id\"}}}",
                "{\"messaging_product\":\"whatsapp\",\"to\":\"6281234567890\",\"type\":\"template\",\"template\":{\"name\":\"x\"}}",
                "{\"messaging_product\":\"whatsapp\",\"to\":\"6281234567890\",\"type\":\"image\"}");
        for (String body : malformed) {
            HttpResponse<String> refused = send(path, body, TOKEN);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(refused.body()).path("error").path("code").asInt()).isEqualTo(100);
        }
        assertThat(send(path, "{\"x\":\"" + "a".repeat(70_000) + "\"}", TOKEN).statusCode()).isEqualTo(413);
        assertThat(files()).isEmpty();
    }

    @Test
    void thePageShowsWhatTheRecipientReads() {
        send("/" + PHONE_NUMBER_ID + "/messages", template("6281234567890"), TOKEN);
        String id = outbox.messages().get(0).id();

        assertThat(HTTP.get(url("/")).body()).contains("WhatsApp", "6281234567890", "payment_instructions", "body: Budi Santoso");
        assertThat(HTTP.get(url("/messages/" + id)).body()).contains("Template <strong>payment_instructions</strong>", "button[0]: 66e4fa55");
        assertThat(HTTP.get(url("/api/messages?limit=0")).body()).isEqualTo("[]");
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + server.port() + path);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(outbox.whatsAppDirectory())) {
            return files.toList();
        }
    }
}
