package dev.lunas.notification.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.event.Customer;
import dev.lunas.common.event.EventTypes;
import dev.lunas.common.event.OpsAlert;
import dev.lunas.common.event.OrderExpired;
import dev.lunas.common.event.OrderPaid;
import dev.lunas.common.event.PaymentInstructions;
import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.model.Delivery;
import jakarta.enterprise.context.ApplicationScoped;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/** Turns an event payload into the {@link MessageView} the templates render. */
@ApplicationScoped
public class MessageContent {

    private static final Locale INDONESIAN = Locale.forLanguageTag("id-ID");
    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
    private static final DateTimeFormatter DEADLINE =
            DateTimeFormatter.ofPattern("d MMMM yyyy 'pukul' HH.mm 'WIB'", INDONESIAN).withZone(JAKARTA);

    private final ObjectMapper json;
    private final NotificationConfig.Links links;

    public MessageContent(ObjectMapper json, NotificationConfig config) {
        this.json = json;
        this.links = config.links();
    }

    /** Fails with a permanent {@link DeliveryFailureException} when the payload cannot make this message. */
    public MessageView of(Delivery delivery) {
        return switch (delivery.eventType()) {
            case EventTypes.PAYMENT_REQUESTED, EventTypes.PAYMENT_REMINDER_DUE -> {
                PaymentInstructions p = read(delivery, PaymentInstructions.class);
                Customer c = customer(p.customer());
                yield new MessageView(c.name(), c.email(), c.phone(), id(p.orderId()), p.packageName(),
                        rupiah(p.amount(), p.currency()), p.paymentUrl(), deadline(p.expiresAt()), "",
                        links.supportWhatsappUrl(), "", "", "");
            }
            case EventTypes.ORDER_PAID -> {
                OrderPaid p = read(delivery, OrderPaid.class);
                Customer c = customer(p.customer());
                String access = p.accessUrl() == null || p.accessUrl().isBlank() ? links.courseAccessUrl() : p.accessUrl();
                yield new MessageView(c.name(), c.email(), c.phone(), id(p.orderId()), p.packageName(),
                        rupiah(p.amount(), p.currency()), "", "", access, links.supportWhatsappUrl(), "", "", "");
            }
            case EventTypes.ORDER_EXPIRED -> {
                OrderExpired p = read(delivery, OrderExpired.class);
                Customer c = customer(p.customer());
                yield new MessageView(c.name(), c.email(), c.phone(), id(p.orderId()), p.packageName(),
                        rupiah(p.amount(), p.currency()), "", deadline(p.expiredAt()), "", links.supportWhatsappUrl(),
                        "", "", "");
            }
            case EventTypes.OPS_ALERT -> {
                OpsAlert p = read(delivery, OpsAlert.class);
                yield new MessageView("", "", "", id(p.orderId()), "", "", "", "", "", "",
                        Objects.toString(p.severity(), ""), Objects.toString(p.code(), ""),
                        Objects.toString(p.message(), ""));
            }
            default -> throw DeliveryFailureException.permanent("no message is defined for event type " + delivery.eventType());
        };
    }

    private <T> T read(Delivery delivery, Class<T> type) {
        try {
            return json.readValue(delivery.payload(), type);
        } catch (JsonProcessingException e) {
            throw DeliveryFailureException.permanent("payload is not a readable " + type.getSimpleName());
        }
    }

    private static Customer customer(Customer customer) {
        if (customer == null) {
            throw DeliveryFailureException.permanent("payload has no customer contact data");
        }
        return new Customer(Objects.toString(customer.name(), "Pelanggan"), customer.email(), customer.phone());
    }

    private static String id(UUID orderId) {
        return orderId == null ? "" : orderId.toString();
    }

    static String rupiah(long amount, String currency) {
        String digits = NumberFormat.getIntegerInstance(INDONESIAN).format(amount);
        return currency == null || currency.equals("IDR") ? "Rp " + digits : digits + " " + currency;
    }

    static String deadline(Instant instant) {
        return instant == null ? "" : DEADLINE.format(instant);
    }
}
