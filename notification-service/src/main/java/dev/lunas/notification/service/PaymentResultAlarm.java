package dev.lunas.notification.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.event.EventTypes;
import dev.lunas.common.event.OpsAlert;
import dev.lunas.common.logging.EventLog;
import dev.lunas.notification.client.EmailClient;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.Delivery;
import dev.lunas.notification.model.DeliveryStatus;
import dev.lunas.notification.metrics.NotificationMetrics;
import dev.lunas.notification.repository.DeliveryRepository;
import dev.lunas.notification.repository.DeliveryRepository.Created;
import dev.lunas.notification.repository.DeliveryRepository.Raised;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;

/**
 * A payment result that order-service refused for good is a paid order that may expire: a person must look.
 * This service has no outbox of its own, so the alert is the delivery an OpsAlert event would make (EMAIL
 * {@code ops-alert} to ALERT_EMAIL, SKIPPED when that is unset), written in the transaction that marks the
 * payment result DEAD; after the commit it is counted and logged with {@code alert=critical}.
 */
@ApplicationScoped
public class PaymentResultAlarm {

    public static final String CODE = "payment_result_dead";
    /** The {@code source} of deliveries this service makes itself. */
    static final String SOURCE = "notifications";

    private static final EventLog LOG = EventLog.of(PaymentResultAlarm.class, "delivery");

    private final DeliveryRepository deliveries;
    private final Channels channels;
    private final ObjectMapper json;
    private final NotificationMetrics metrics;
    private final Event<WorkAvailable> workAvailable;

    public PaymentResultAlarm(DeliveryRepository deliveries, Channels channels, ObjectMapper json,
                              NotificationMetrics metrics, Event<WorkAvailable> workAvailable) {
        this.deliveries = deliveries;
        this.channels = channels;
        this.json = json;
        this.metrics = metrics;
        this.workAvailable = workAvailable;
    }

    /**
     * Writes the alert for a payment result that has just gone DEAD, on the connection of that transaction.
     * One alert per death: its event id is derived from the payment result's and the attempt that died.
     */
    public Uni<Optional<Created>> raise(SqlConnection connection, Delivery dead, String error) {
        OpsAlert alert = OpsAlert.critical(CODE, orderId(dead), message(dead, error));
        UUID alertId = UUID.nameUUIDFromBytes((CODE + ":" + dead.eventId() + ":" + dead.attempt())
                .getBytes(StandardCharsets.UTF_8));
        Optional<String> off = channels.sender(Channel.EMAIL).switchedOff(EmailClient.OPS_ALERT);
        return deliveries.create(connection, new Raised(alertId, SOURCE, EventTypes.OPS_ALERT, "order",
                dead.aggregateId(), Channel.EMAIL, EmailClient.OPS_ALERT, payload(alert),
                off.isPresent() ? DeliveryStatus.SKIPPED : DeliveryStatus.PENDING,
                channels.maxAttempts(Channel.EMAIL).orElse(null), off.orElse(null)));
    }

    /** After the commit: count, log for paging, and send the alert (or say why it is not sent). */
    public void raised(Delivery dead, String error, Optional<Created> alert) {
        metrics.paymentResultDead(dead.eventType());
        LOG.critical("PAYMENT_RESULT_DEAD", dead.aggregateId(),
                "%s (event %s, delivery %d) was refused by order-service on attempt %d and will not be sent again: "
                        + "%s. The order may expire although it was paid; fix the cause, then requeue the delivery",
                dead.eventType(), dead.eventId(), dead.id(), dead.attempt(), error);
        alert.ifPresent(created -> {
            if (created.status() == DeliveryStatus.PENDING) {
                workAvailable.fire(WorkAvailable.deliveries(EnumSet.of(Channel.EMAIL)));
            } else {
                metrics.skipped(created.channel(), created.template());
                LOG.warn("NOTIFICATION_SKIPPED", created.aggregateId(), "%s %s skipped: channel switched off",
                        created.channel(), created.template());
            }
        });
    }

    private static String message(Delivery dead, String error) {
        return dead.eventType() + " (event " + dead.eventId() + ") for order " + dead.aggregateId()
                + " was refused by order-service and will not be sent again: " + error
                + ". If the customer paid, the order may expire: fix the cause, then requeue delivery " + dead.id()
                + " (POST /admin/deliveries/" + dead.id() + "/requeue).";
    }

    private static UUID orderId(Delivery delivery) {
        try {
            return UUID.fromString(delivery.aggregateId());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String payload(OpsAlert alert) {
        try {
            return json.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("OpsAlert cannot be written as JSON", e);
        }
    }
}
