package dev.lunas.notification.client;

import static dev.lunas.common.logging.Masking.phone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.notification.client.WhatsAppApi.Parameter;
import dev.lunas.notification.client.WhatsAppApi.TemplateMessage;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.Delivery;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WHATSAPP through the WhatsApp Cloud API, as approved template messages in Indonesian. Switched off
 * without {@code WHATSAPP_API_URL}; a URL without a token or phone number id is a configuration error.
 */
@ApplicationScoped
public class WhatsAppClient implements ChannelClient {

    private static final Pattern E164 = Pattern.compile("\\+?[1-9][0-9]{7,14}");
    private static final Pattern NUMBER_IN_TEXT = Pattern.compile("\\+?[0-9]{8,15}");
    /**
     * Graph API error codes that come with a 4xx but mean "later", not "never": throttling (4, 80007,
     * 130429, 131048, 131056) and the platform's own trouble (131000, 131016).
     */
    private static final Set<Integer> TEMPORARY_ERROR_CODES = Set.of(4, 80007, 130429, 131048, 131056, 131000, 131016);
    /** Authentication (an operator fixes the token), timeout and throttling are worth retrying. */
    private static final Set<Integer> RETRYABLE_CLIENT_STATUSES = Set.of(401, 403, 408, 429);

    private final MessageContent content;
    private final ObjectMapper json;
    private final NotificationConfig.Whatsapp config;
    private final Optional<WhatsAppApi> api;

    public WhatsAppClient(MessageContent content, ObjectMapper json, NotificationConfig config) {
        this.content = content;
        this.json = json;
        this.config = config.whatsapp();
        this.api = this.config.apiUrl().map(url -> {
            require(this.config.token(), "WHATSAPP_TOKEN");
            require(this.config.phoneNumberId(), "WHATSAPP_PHONE_NUMBER_ID");
            long timeout = this.config.timeout().toMillis();
            return QuarkusRestClientBuilder.newBuilder()
                    .baseUri(url)
                    .connectTimeout(Math.min(timeout, 5000), TimeUnit.MILLISECONDS)
                    .readTimeout(timeout, TimeUnit.MILLISECONDS)
                    .disableDefaultMapper(true)
                    .build(WhatsAppApi.class);
        });
    }

    @Override
    public Channel channel() {
        return Channel.WHATSAPP;
    }

    @Override
    public Optional<String> switchedOff(String template) {
        if (api.isEmpty()) {
            return Optional.of("WHATSAPP is switched off: no WHATSAPP_API_URL configured");
        }
        if (!config.templates().containsKey(template)) {
            return Optional.of("no WhatsApp template configured for " + template);
        }
        return Optional.empty();
    }

    @Override
    public Uni<String> send(Delivery delivery) {
        WhatsAppApi client = api.orElseThrow(() -> DeliveryFailureException.permanent("WHATSAPP is switched off"));
        String templateName = config.templates().get(delivery.template());
        if (templateName == null) {
            throw DeliveryFailureException.permanent("no WhatsApp template configured for " + delivery.template());
        }
        MessageView view = content.of(delivery);
        String to = view.phone() == null ? "" : view.phone().replaceAll("[\\s-]", "");
        if (!E164.matcher(to).matches()) {
            throw DeliveryFailureException.permanent("not a valid WhatsApp number: " + phone(to));
        }
        TemplateMessage message = TemplateMessage.of(to.replace("+", ""), templateName, config.languageCode(),
                parameters(delivery.template(), view));
        return client.send(config.phoneNumberId().orElseThrow(), "Bearer " + config.token().orElseThrow(), message)
                .onFailure().transform(DeliveryFailureException::of)
                .map(this::interpret);
    }

    /** The template's body parameters {{1}}, {{2}}, … in the order the approved templates use them. */
    static List<Parameter> parameters(String template, MessageView view) {
        return switch (template) {
            case "payment-instructions", "payment-reminder" -> List.of(Parameter.text(view.customerName()),
                    Parameter.text(view.packageName()), Parameter.text(view.amount()), Parameter.text(view.deadline()),
                    Parameter.text(view.paymentUrl()));
            case "payment-success" -> List.of(Parameter.text(view.customerName()), Parameter.text(view.packageName()),
                    Parameter.text(view.orderId()), Parameter.text(view.accessUrl()), Parameter.text(view.supportUrl()));
            default -> throw DeliveryFailureException.permanent("no WhatsApp message is defined for " + template);
        };
    }

    private String interpret(Response response) {
        try (response) {
            int status = response.getStatus();
            JsonNode body = JsonBodies.read(json, response);
            if (status >= 200 && status < 300) {
                return body.path("messages").path(0).path("id").asText("accepted");
            }
            JsonNode error = body.path("error");
            String reason = "WhatsApp API HTTP " + status
                    + (error.has("code") ? " error " + error.path("code").asInt() : "")
                    + (error.has("message") ? ": " + NUMBER_IN_TEXT.matcher(error.path("message").asText())
                            .replaceAll(found -> Matcher.quoteReplacement(phone(found.group()))) : "");
            boolean temporary = status >= 500 || RETRYABLE_CLIENT_STATUSES.contains(status)
                    || TEMPORARY_ERROR_CODES.contains(error.path("code").asInt(-1));
            throw temporary ? DeliveryFailureException.retryable(reason) : DeliveryFailureException.permanent(reason);
        }
    }

    private static void require(Optional<String> value, String variable) {
        if (value.filter(v -> !v.isBlank()).isEmpty()) {
            throw new IllegalStateException("WHATSAPP_API_URL is set but " + variable + " is missing");
        }
    }
}
