package dev.lunas.notification.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.event.EventEnvelope;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.Delivery;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * INTERNAL: hands payment results to order-service, which applies them idempotently on the event id.
 * A payment result must never die of something that passes, so only a definitive refusal is permanent: a
 * 4xx problem+json answer whose {@code type} is one of the contract's (docs/integration.md). Everything else
 * is retried without an attempt limit: 5xx and timeouts, 401/403 (a wrong relay token, which an operator
 * fixes), and any 404 without the {@code order-not-found} problem, such as an HTML page from a wrong
 * ORDER_SERVICE_URL or a proxy in front of an order-service that is not deployed yet.
 */
@ApplicationScoped
public class OrderServiceClient implements ChannelClient {

    /** The last path segment of each problem type that means "this event will never be applied". */
    static final Set<String> DEFINITIVE = Set.of("order-not-found", "invalid-event", "unsupported-event-type",
            "amount-mismatch", "invalid-signature");
    /** Answers that are never definitive, whatever their body says. */
    private static final Set<Integer> NEVER_DEFINITIVE = Set.of(401, 403, 408, 429);

    private final ObjectMapper json;
    private final OrderServiceApi api;
    private final String authorization;

    public OrderServiceClient(ObjectMapper json, NotificationConfig config) {
        this.json = json;
        this.authorization = "Bearer " + config.internal().token().orElse("");
        long timeout = config.internal().timeout().toMillis();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(config.internal().orderServiceUrl())
                .connectTimeout(Math.min(timeout, 5000), TimeUnit.MILLISECONDS)
                .readTimeout(timeout, TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(OrderServiceApi.class);
    }

    @Override
    public Channel channel() {
        return Channel.INTERNAL;
    }

    @Override
    public Optional<String> switchedOff(String template) {
        return Optional.empty();
    }

    @Override
    public Uni<String> send(Delivery delivery) {
        EventEnvelope envelope = new EventEnvelope(delivery.eventId(), delivery.eventType(), delivery.aggregateType(),
                delivery.aggregateId(), delivery.eventCreatedAt(), payload(delivery));
        return api.deliver(authorization, delivery.eventId().toString(), envelope)
                .onFailure().transform(DeliveryFailureException::of)
                .map(this::interpret);
    }

    private JsonNode payload(Delivery delivery) {
        try {
            return json.readTree(delivery.payload());
        } catch (IOException e) {
            throw DeliveryFailureException.permanent("payload is not JSON");
        }
    }

    private String interpret(Response response) {
        try (response) {
            int status = response.getStatus();
            JsonNode body = JsonBodies.read(json, response);
            if (status >= 200 && status < 300) {
                return body.path("outcome").asText("OK");
            }
            String type = problemType(response, body);
            String reason = "order-service HTTP " + status
                    + (type.isEmpty() ? "" : " " + type)
                    + (body.hasNonNull("detail") ? ": " + body.path("detail").asText() : "");
            throw definitive(status, type) ? DeliveryFailureException.permanent(reason) : DeliveryFailureException.retryable(reason);
        }
    }

    /** The problem type of a problem+json answer; empty for anything else (HTML, plain JSON, no body). */
    private static String problemType(Response response, JsonNode body) {
        MediaType media = response.getMediaType();
        boolean problem = media != null && "problem+json".equalsIgnoreCase(media.getSubtype());
        return problem && body.path("type").isTextual() ? body.path("type").asText() : "";
    }

    /** Only order-service's own refusal, by its problem type: a status alone may come from anything on the way. */
    static boolean definitive(int status, String problemType) {
        if (status < 400 || status >= 500 || NEVER_DEFINITIVE.contains(status)) {
            return false;
        }
        int slash = problemType.lastIndexOf('/');
        return slash >= 0 && DEFINITIVE.contains(problemType.substring(slash + 1));
    }
}
