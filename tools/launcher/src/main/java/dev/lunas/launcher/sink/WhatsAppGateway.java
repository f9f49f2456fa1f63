package dev.lunas.launcher.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.http.Exchange;
import dev.lunas.launcher.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A fake WhatsApp Cloud API for {@code POST /{phone-number-id}/messages} (any version prefix, e.g.
 * {@code /v21.0/...}). It checks what the Cloud API checks (bearer token, phone number id, the message's
 * shape, a recipient in international format), answers with the Cloud API's bodies and Graph API errors,
 * and keeps every accepted message as a file in the {@link Outbox}.
 */
public final class WhatsAppGateway {

    /** Digits of an international number without the leading "+": country code first, never a trunk 0. */
    private static final Pattern INTERNATIONAL_NUMBER = Pattern.compile("[1-9][0-9]{7,14}");
    private static final SecureRandom IDS = new SecureRandom();

    private final String accessToken;
    private final String phoneNumberId;
    private final Outbox outbox;
    private final Clock clock;
    private final Consumer<String> events;
    private final boolean keepMessages;

    public WhatsAppGateway(String accessToken, String phoneNumberId, Outbox outbox, Consumer<String> events) {
        this(accessToken, phoneNumberId, outbox, Clock.systemUTC(), events, true);
    }

    /**
     * A gateway that checks and answers like the Cloud API but, with {@code keepMessages} off, keeps no file of
     * what it accepted: for load runs, where thousands of files would only cost time.
     */
    public WhatsAppGateway(String accessToken, String phoneNumberId, Outbox outbox, Consumer<String> events,
                           boolean keepMessages) {
        this(accessToken, phoneNumberId, outbox, Clock.systemUTC(), events, keepMessages);
    }

    WhatsAppGateway(String accessToken, String phoneNumberId, Outbox outbox, Clock clock, Consumer<String> events) {
        this(accessToken, phoneNumberId, outbox, clock, events, true);
    }

    private WhatsAppGateway(String accessToken, String phoneNumberId, Outbox outbox, Clock clock, Consumer<String> events,
                            boolean keepMessages) {
        this.accessToken = accessToken;
        this.phoneNumberId = phoneNumberId;
        this.outbox = outbox;
        this.clock = clock;
        this.events = events;
        this.keepMessages = keepMessages;
    }

    /** Handles one send request addressed to {@code requestedPhoneNumberId}. */
    void send(Exchange exchange, String requestedPhoneNumberId) throws IOException {
        if (!authorized(exchange.header("Authorization"))) {
            exchange.json(401, error("Invalid OAuth access token - Cannot parse access token", "OAuthException", 190, null));
            return;
        }
        if (!phoneNumberId.equals(requestedPhoneNumberId)) {
            exchange.json(400, error("Unsupported post request. Object with ID '" + requestedPhoneNumberId
                    + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation",
                    "GraphMethodException", 100, null));
            return;
        }
        Optional<ObjectNode> body = Json.parseObject(exchange.body());
        if (body.isEmpty()) {
            exchange.json(400, invalidParameter("The request body must be a JSON object"));
            return;
        }
        ObjectNode message = body.get();
        Optional<String> problem = problemWith(message);
        if (problem.isPresent()) {
            exchange.json(400, invalidParameter(problem.get()));
            return;
        }
        String to = message.path("to").asText();
        String waId = to.startsWith("+") ? to.substring(1) : to;
        String id = "wamid." + randomId(24);
        boolean template = "template".equals(message.path("type").asText("text"));
        ObjectNode record = Json.object();
        record.put("id", id);
        record.put("received_at", clock.instant().toString());
        record.put("phone_number_id", requestedPhoneNumberId);
        record.put("to", waId);
        record.put("type", template ? "template" : "text");
        if (template) {
            record.put("template", message.path("template").path("name").asText());
            record.put("language", message.path("template").path("language").path("code").asText());
        }
        record.putPOJO("text", readableText(message, template));
        record.set("request", message);
        if (keepMessages) {
            outbox.storeWhatsApp(record, waId);
        }
        events.accept("WhatsApp " + (template ? "template \"" + record.path("template").asText() + "\"" : "text message")
                + " accepted (" + id + ")");

        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("messaging_product", "whatsapp");
        accepted.put("contacts", List.of(Map.of("input", to, "wa_id", waId)));
        accepted.put("messages", List.of(template ? Map.of("id", id, "message_status", "accepted") : Map.of("id", id)));
        exchange.json(200, accepted);
    }

    /** Answers a request the gateway cannot route (wrong method, oversized body) in the Graph API's format. */
    static Map<String, Object> error(String message, String type, int code, String details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        if (details != null) {
            error.put("error_data", Map.of("messaging_product", "whatsapp", "details", details));
        }
        error.put("fbtrace_id", randomId(12));
        return Map.of("error", error);
    }

    static Map<String, Object> invalidParameter(String details) {
        return error("(#100) Invalid parameter", "OAuthException", 100, details);
    }

    private static String randomId(int bytes) {
        byte[] random = new byte[bytes];
        IDS.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                accessToken.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> problemWith(JsonNode message) {
        if (!"whatsapp".equals(message.path("messaging_product").asText())) {
            return Optional.of("The parameter messaging_product is required and must be \"whatsapp\"");
        }
        JsonNode to = message.path("to");
        if (!to.isTextual() || to.asText().isBlank()) {
            return Optional.of("The parameter to is required");
        }
        String number = to.asText().startsWith("+") ? to.asText().substring(1) : to.asText();
        if (!INTERNATIONAL_NUMBER.matcher(number).matches()) {
            return Optional.of("Invalid recipient '" + to.asText() + "': the parameter to must be a phone number in"
                    + " international format, country code first (e.g. 6281234567890)");
        }
        String type = message.path("type").asText("text");
        if ("template".equals(type)) {
            JsonNode template = message.path("template");
            if (template.path("name").asText().isBlank()) {
                return Optional.of("The parameter template['name'] is required");
            }
            if (template.path("language").path("code").asText().isBlank()) {
                return Optional.of("The parameter template['language']['code'] is required");
            }
            JsonNode components = template.path("components");
            if (!components.isMissingNode() && !components.isArray()) {
                return Optional.of("The parameter template['components'] must be an array");
            }
            return Optional.empty();
        }
        if ("text".equals(type)) {
            return message.path("text").path("body").asText().isBlank()
                    ? Optional.of("The parameter text['body'] is required")
                    : Optional.empty();
        }
        return Optional.of("Message type '" + type + "' is not supported by this gateway; send template or text");
    }

    /** The words the recipient reads: each template parameter as "component: value", or the text body. */
    private static List<String> readableText(JsonNode message, boolean template) {
        List<String> lines = new ArrayList<>();
        if (!template) {
            lines.add(message.path("text").path("body").asText());
            return lines;
        }
        for (JsonNode component : message.path("template").path("components")) {
            String where = component.path("type").asText("body")
                    + (component.has("index") ? "[" + component.path("index").asText() + "]" : "");
            for (JsonNode parameter : component.path("parameters")) {
                lines.add(where + ": " + parameterValue(parameter));
            }
        }
        return lines;
    }

    private static String parameterValue(JsonNode parameter) {
        String type = parameter.path("type").asText();
        return switch (type) {
            case "text" -> parameter.path("text").asText();
            case "currency" -> parameter.path("currency").path("fallback_value").asText();
            case "date_time" -> parameter.path("date_time").path("fallback_value").asText();
            case "payload" -> parameter.path("payload").asText();
            default -> type;
        };
    }
}
