package dev.lunas.notification.service;

import dev.lunas.common.event.EventTypes;
import dev.lunas.common.event.OpsAlert;
import dev.lunas.common.event.OrderCreated;
import dev.lunas.common.event.OrderExpired;
import dev.lunas.common.event.OrderPaid;
import dev.lunas.common.event.PaymentInstructions;
import dev.lunas.common.event.PaymentResult;
import dev.lunas.notification.client.EmailClient;
import dev.lunas.notification.model.Channel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which deliveries each event type makes (docs/integration.md, "Events"), and the payload it must carry. */
public final class Routing {

    /** One message to send for an event: the key of a delivery together with the event id. */
    public record Route(Channel channel, String template) {
    }

    /** What an event type is routed to, and the record its payload must be readable as. */
    public record EventRoute(Class<?> payloadType, List<Route> routes) {
    }

    private static final String PAYMENT_RESULT = "payment-result";

    private static final Map<String, EventRoute> ROUTES = Map.ofEntries(
            Map.entry(EventTypes.ORDER_CREATED, new EventRoute(OrderCreated.class, List.of())),
            Map.entry(EventTypes.PAYMENT_REQUESTED, new EventRoute(PaymentInstructions.class, List.of(
                    new Route(Channel.EMAIL, "payment-instructions"), new Route(Channel.WHATSAPP, "payment-instructions")))),
            Map.entry(EventTypes.PAYMENT_REMINDER_DUE, new EventRoute(PaymentInstructions.class, List.of(
                    new Route(Channel.EMAIL, "payment-reminder"), new Route(Channel.WHATSAPP, "payment-reminder")))),
            Map.entry(EventTypes.ORDER_PAID, new EventRoute(OrderPaid.class, List.of(
                    new Route(Channel.EMAIL, "payment-success"), new Route(Channel.WHATSAPP, "payment-success")))),
            Map.entry(EventTypes.ORDER_EXPIRED, new EventRoute(OrderExpired.class, List.of(
                    new Route(Channel.EMAIL, "order-expired")))),
            Map.entry(EventTypes.PAYMENT_SETTLED, paymentResult()),
            Map.entry(EventTypes.PAYMENT_FAILED, paymentResult()),
            Map.entry(EventTypes.PAYMENT_EXPIRED, paymentResult()),
            Map.entry(EventTypes.PAYMENT_REFUNDED, paymentResult()),
            Map.entry(EventTypes.PAYMENT_CHARGED_BACK, paymentResult()),
            Map.entry(EventTypes.PAYMENT_REVERSED, paymentResult()),
            Map.entry(EventTypes.OPS_ALERT, new EventRoute(OpsAlert.class, List.of(
                    new Route(Channel.EMAIL, EmailClient.OPS_ALERT)))));

    private Routing() {
    }

    /** Empty for an event type this service does not know. */
    public static Optional<EventRoute> of(String eventType) {
        return Optional.ofNullable(ROUTES.get(eventType));
    }

    /** Every template the routes send on the channel. */
    public static List<String> templates(Channel channel) {
        return ROUTES.values().stream().flatMap(route -> route.routes().stream())
                .filter(route -> route.channel() == channel).map(Route::template).distinct().sorted().toList();
    }

    /** Every event type the routes send on the channel. */
    public static List<String> eventTypes(Channel channel) {
        return ROUTES.entrySet().stream()
                .filter(entry -> entry.getValue().routes().stream().anyMatch(route -> route.channel() == channel))
                .map(Map.Entry::getKey).sorted().toList();
    }

    private static EventRoute paymentResult() {
        return new EventRoute(PaymentResult.class, List.of(new Route(Channel.INTERNAL, PAYMENT_RESULT)));
    }
}
