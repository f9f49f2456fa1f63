package dev.lunas.notification.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.event.EventEnvelope;
import dev.lunas.common.security.ApiAccessConfig;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.entity.Channel;
import dev.lunas.notification.entity.Delivery;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * INTERNAL: hands payment results to order-service, which applies them idempotently on the event id.
 * Its answers are classified as docs/integration.md says: 400, 404 and 422 are permanent; 401/403 mean a
 * wrong service token, which an operator fixes, so they are retried like 5xx and timeouts.
 */
@ApplicationScoped
public class OrderServiceSender implements ChannelSender {

    private static final Set<Integer> PERMANENT = Set.of(400, 404, 422);

    private final ObjectMapper json;
    private final OrderServiceApi api;
    private final String authorization;

    public OrderServiceSender(ObjectMapper json, NotificationConfig config, ApiAccessConfig access) {
        this.json = json;
        this.authorization = "Bearer " + access.serviceToken();
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
                .onFailure().transform(DeliveryFailure::of)
                .map(this::interpret);
    }

    private JsonNode payload(Delivery delivery) {
        try {
            return json.readTree(delivery.payload());
        } catch (IOException e) {
            throw DeliveryFailure.permanent("payload is not JSON");
        }
    }

    private String interpret(Response response) {
        try (response) {
            int status = response.getStatus();
            JsonNode body = JsonBodies.read(json, response);
            if (status >= 200 && status < 300) {
                return body.path("outcome").asText("OK");
            }
            String reason = "order-service HTTP " + status
                    + (body.has("type") ? " " + body.path("type").asText() : "")
                    + (body.has("detail") ? ": " + body.path("detail").asText() : "");
            throw PERMANENT.contains(status) ? DeliveryFailure.permanent(reason) : DeliveryFailure.retryable(reason);
        }
    }
}
