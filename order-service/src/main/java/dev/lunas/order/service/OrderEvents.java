package dev.lunas.order.service;

import dev.lunas.common.event.Customer;
import dev.lunas.common.event.EventTypes;
import dev.lunas.common.event.OpsAlert;
import dev.lunas.common.event.OrderCreated;
import dev.lunas.common.event.OrderExpired;
import dev.lunas.common.event.OrderPaid;
import dev.lunas.common.event.OutboxEvent;
import dev.lunas.common.event.PaymentInstructions;
import dev.lunas.common.logging.Journal;
import dev.lunas.common.logging.Masking;
import dev.lunas.common.outbox.OutboxWriter;
import dev.lunas.order.model.CustomerOrder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** The events an order publishes through the outbox, written inside the transaction of the change. */
@ApplicationScoped
public class OrderEvents {

    private static final String AGGREGATE = "order";

    private final OutboxWriter outbox;

    public OrderEvents(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> created(CustomerOrder order, Journal journal) {
        return publish(EventTypes.ORDER_CREATED, order.id(),
                new OrderCreated(order.id(), order.packageId(), order.amount(), order.currency(), order.createdAt()), journal);
    }

    public Uni<Void> paymentRequested(CustomerOrder order, Journal journal) {
        return publish(EventTypes.PAYMENT_REQUESTED, order.id(), instructions(order), journal);
    }

    public Uni<Void> reminderDue(CustomerOrder order, Journal journal) {
        return publish(EventTypes.PAYMENT_REMINDER_DUE, order.id(), instructions(order), journal);
    }

    public Uni<Void> paid(CustomerOrder order, Instant paidAt, String accessUrl, Journal journal) {
        return publish(EventTypes.ORDER_PAID, order.id(), new OrderPaid(order.id(), order.packageId(), order.packageName(),
                order.amount(), order.currency(), paidAt, accessUrl, customer(order)), journal);
    }

    public Uni<Void> expired(CustomerOrder order, Instant expiredAt, Journal journal) {
        return publish(EventTypes.ORDER_EXPIRED, order.id(), new OrderExpired(order.id(), order.packageId(),
                order.packageName(), order.amount(), order.currency(), expiredAt, customer(order)), journal);
    }

    /** A critical alert for a person (ALERT_EMAIL), also logged with alert=critical once committed. */
    public Uni<Void> alert(UUID orderId, String code, String message, Journal journal) {
        journal.critical(code.toUpperCase(), orderId, "%s", message);
        return publish(EventTypes.OPS_ALERT, orderId, OpsAlert.critical(code, orderId, message), journal);
    }

    private Uni<Void> publish(String eventType, UUID orderId, Object payload, Journal journal) {
        OutboxEvent event = OutboxEvent.of(eventType, AGGREGATE, orderId, payload);
        return outbox.append(event)
                .invoke(() -> journal.info("OUTBOX_CREATED", orderId, "%s event %s", eventType, event.eventId()));
    }

    private static PaymentInstructions instructions(CustomerOrder order) {
        return new PaymentInstructions(order.id(), order.packageId(), order.packageName(), order.amount(),
                order.currency(), order.expiresAt(), order.paymentUrl(), customer(order));
    }

    private static Customer customer(CustomerOrder order) {
        return new Customer(order.customerName(), order.customerEmail(), order.customerPhone());
    }

    /** Contact data as it may appear in logs. */
    static String maskedContact(CustomerOrder order) {
        return "email=" + Masking.email(order.customerEmail()) + " phone=" + Masking.phone(order.customerPhone());
    }
}
