package dev.lunas.notification.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lunas.common.event.Customer;
import dev.lunas.common.event.EventTypes;
import dev.lunas.common.event.OpsAlert;
import dev.lunas.common.event.OrderPaid;
import dev.lunas.common.event.PaymentInstructions;
import dev.lunas.common.event.PaymentResult;
import dev.lunas.common.event.Uuids;
import dev.lunas.common.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Plays the producers (rows in their outbox tables, over JDBC as they would commit them) and reads the queue. */
public final class Outbox {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Outbox() {
    }

    /** One event as a producer writes it; several in one call commit together, firing one NOTIFY. */
    public record Event(UUID eventId, String eventType, String aggregateType, String aggregateId, String payload) {

        public static Event of(String eventType, UUID orderId, Object payload) {
            String aggregateType = eventType.startsWith("Payment") && !eventType.equals(EventTypes.PAYMENT_REQUESTED)
                    && !eventType.equals(EventTypes.PAYMENT_REMINDER_DUE) ? "payment" : "order";
            return new Event(Uuids.v7(), eventType, aggregateType, orderId.toString(), json(payload));
        }
    }

    public static void insert(String schema, Event... events) {
        try (Connection connection = TestDatabase.get().connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema + ".outbox "
                    + "(event_id, event_type, aggregate_type, aggregate_id, payload) VALUES (?, ?, ?, ?, ?::jsonb)")) {
                for (Event event : events) {
                    insert.setObject(1, event.eventId());
                    insert.setString(2, event.eventType());
                    insert.setString(3, event.aggregateType());
                    insert.setString(4, event.aggregateId());
                    insert.setString(5, event.payload());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Optional<Map<String, Object>> sourceRow(String schema, UUID eventId) {
        List<Map<String, Object>> rows = query("SELECT status, last_error, relayed_at FROM " + schema
                + ".outbox WHERE event_id = ?", eventId);
        return rows.stream().findFirst();
    }

    public static List<Map<String, Object>> deliveries(UUID eventId) {
        return query("SELECT id, channel, template, status, attempts, max_attempts, last_error, errors::text AS errors, "
                + "locked_by FROM notifications.delivery WHERE event_id = ? ORDER BY channel, template", eventId);
    }

    public static Map<String, Object> delivery(UUID eventId, String channel) {
        return deliveries(eventId).stream().filter(row -> channel.equals(row.get("channel"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + channel + " delivery for " + eventId));
    }

    public static String deliveryStatus(UUID eventId, String channel) {
        return deliveries(eventId).stream().filter(row -> channel.equals(row.get("channel")))
                .map(row -> (String) row.get("status")).findFirst().orElse("NONE");
    }

    public static int execute(String sql, Object... parameters) {
        try (Connection connection = TestDatabase.get().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = TestDatabase.get().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= meta.getColumnCount(); column++) {
                        row.put(meta.getColumnLabel(column), result.getObject(column));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A customer whose address and number no other test uses. */
    public static Customer customer(String phone) {
        return new Customer("Budi Santoso", "budi." + UUID.randomUUID().toString().substring(0, 8) + "@example.com",
                phone);
    }

    public static PaymentInstructions paymentInstructions(UUID orderId, Customer customer) {
        return new PaymentInstructions(orderId, "ai-movie-course", "Buat Film Pakai AI", 99_000, "IDR",
                Instant.parse("2026-11-21T11:00:00Z"), "https://app.sandbox.midtrans.com/snap/v4/redirection/"
                + orderId, customer);
    }

    public static OrderPaid orderPaid(UUID orderId, Customer customer) {
        return new OrderPaid(orderId, "ai-movie-course", "Buat Film Pakai AI", 99_000, "IDR",
                Instant.now().minus(Duration.ofSeconds(1)), "https://kursus.example.com/masuk", customer);
    }

    public static PaymentResult settlement(UUID orderId) {
        return new PaymentResult(orderId, UUID.randomUUID().toString(), "settlement", "accept", "bank_transfer", 99_000,
                "IDR", null, "WEBHOOK", false, Instant.now());
    }

    public static OpsAlert alert(UUID orderId) {
        return OpsAlert.critical("late_settlement", orderId, "Pembayaran masuk untuk pesanan yang sudah kedaluwarsa");
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
