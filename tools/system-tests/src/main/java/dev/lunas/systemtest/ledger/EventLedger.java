package dev.lunas.systemtest.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.systemtest.harness.Customer;
import dev.lunas.systemtest.harness.HarnessException;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.Reconciliation.Route;
import dev.lunas.systemtest.ledger.ReconciliationReport.Count;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Events a scenario writes straight into a producer's outbox table, exactly as order-service's
 * {@code OutboxWriter} would (the outbox is the contract between the producers and notification-service), and
 * the reconciliation of those events by docs/reliability.md §8's counting method: every event relayed, one delivery
 * per message docs/integration.md routes it to, every mail and WhatsApp message in the sinks
 * ({@code lost = expected − distinct}, {@code duplicates = received − distinct}). This is how a scenario makes
 * thousands of messages without thousands of checkouts.
 *
 * <p>Each event's customer must have contact data of their own ({@code system.customers().next()}): the
 * WhatsApp sink knows messages only by number and template.
 */
public final class EventLedger {

    /** An event as published. */
    public record Event(UUID eventId, String source, String eventType, String aggregateId, Customer customer) {
    }

    /**
     * One message the reconciliation must not expect in a sink, because the scenario means it to end DEAD: a
     * delivery ({@code channel} and {@code template}) or, with {@link #OUTBOX} as channel, the outbox row itself.
     */
    public record Dead(UUID eventId, String channel, String template) {

        public static final String OUTBOX = "OUTBOX";

        public static Dead outboxRow(UUID eventId) {
            return new Dead(eventId, OUTBOX, "");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 1_000;

    private final SystemUnderTest system;
    private final List<Event> events = new CopyOnWriteArrayList<>();

    public EventLedger(SystemUnderTest system) {
        this.system = system;
    }

    /** {@code OrderExpired}: one mail (the expiry notice) to the customer. */
    public static ObjectNode orderExpired(UUID orderId, Customer customer) {
        ObjectNode payload = order(orderId, customer);
        payload.put("expiredAt", Instant.now().toString());
        return payload;
    }

    /** {@code PaymentRequested}: the payment instructions, one mail and one WhatsApp message. */
    public static ObjectNode paymentInstructions(UUID orderId, Customer customer) {
        ObjectNode payload = order(orderId, customer);
        payload.put("expiresAt", Instant.now().plusSeconds(86_400).toString());
        payload.put("paymentUrl", "https://app.sandbox.midtrans.com/snap/v4/redirection/" + orderId);
        return payload;
    }

    private static ObjectNode order(UUID orderId, Customer customer) {
        ObjectNode payload = JSON.createObjectNode()
                .put("orderId", orderId.toString())
                .put("packageId", "ai-movie-course")
                .put("packageName", "Buat Film Pakai AI")
                .put("amount", 99_000)
                .put("currency", "IDR");
        payload.putObject("customer").put("name", customer.name()).put("email", customer.email())
                .put("phone", customer.e164());
        return payload;
    }

    /**
     * Commits the events into {@code <source>.outbox} ({@code orders} or {@code payments}), a thousand per
     * transaction; the relay is woken at each commit, as by a producer. The payloads' customers are the events'.
     *
     * @return the events as published, in order
     */
    public List<Event> publish(String source, String eventType, List<ObjectNode> payloads, List<Customer> customers) {
        if (payloads.size() != customers.size()) {
            throw new IllegalArgumentException("one customer per payload");
        }
        List<Event> published = new ArrayList<>();
        String sql = "insert into " + source + ".outbox (event_id, event_type, aggregate_type, aggregate_id, payload)"
                + " values (?, ?, 'order', ?, cast(? as jsonb))";
        try (Connection db = system.connect(); PreparedStatement insert = db.prepareStatement(sql)) {
            db.setAutoCommit(false);
            for (int i = 0; i < payloads.size(); i++) {
                ObjectNode payload = payloads.get(i);
                Event event = new Event(UUID.randomUUID(), source, eventType, payload.path("orderId").asText(), customers.get(i));
                insert.setObject(1, event.eventId());
                insert.setString(2, eventType);
                insert.setString(3, event.aggregateId());
                insert.setString(4, payload.toString());
                insert.addBatch();
                published.add(event);
                if (published.size() % BATCH == 0 || i == payloads.size() - 1) {
                    insert.executeBatch();
                    db.commit();
                }
            }
        } catch (SQLException e) {
            throw new HarnessException("Cannot publish " + eventType + " events into " + source + ".outbox", e);
        }
        events.addAll(published);
        return published;
    }

    /**
     * {@code count} {@code OrderExpired} events, each for a new customer of the run, committed into
     * {@code orders.outbox}: one mail each.
     *
     * @return their event ids, in order
     */
    public List<UUID> publishExpiredOrders(int count) {
        List<Customer> customers = new ArrayList<>();
        List<ObjectNode> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Customer customer = system.customers().next();
            customers.add(customer);
            payloads.add(orderExpired(UUID.randomUUID(), customer));
        }
        return publish("orders", "OrderExpired", payloads, customers).stream().map(Event::eventId).toList();
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Every event delivered exactly once, nothing DEAD. */
    public ReconciliationReport reconcile() {
        return reconcile(Set.of());
    }

    /** Every event delivered exactly once, except the messages meant to end DEAD, which must be DEAD and unsent. */
    public ReconciliationReport reconcile(Set<Dead> meantToDie) {
        List<Count> counts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Connection db = system.connect()) {
            Set<UUID> deadRows = meantToDie.stream().filter(d -> d.channel().equals(Dead.OUTBOX)).map(Dead::eventId)
                    .collect(Collectors.toSet());
            outbox(db, deadRows, counts, problems);
            List<Intended> intended = new ArrayList<>();
            for (Event event : events) {
                if (deadRows.contains(event.eventId())) {
                    continue;
                }
                for (Route route : Reconciliation.routes(event.eventType())) {
                    intended.add(new Intended(event, route,
                            meantToDie.contains(new Dead(event.eventId(), route.channel(), route.template()))));
                }
            }
            deliveries(db, intended, counts, problems);
            sinks(intended, counts, problems);
        } catch (SQLException e) {
            throw new HarnessException("Reconciliation queries failed", e);
        }
        return new ReconciliationReport(counts, problems);
    }

    private record Intended(Event event, Route route, boolean dead) {
        String deliveryKey() {
            return event.eventId() + " " + route.channel() + " " + route.template();
        }
    }

    private void outbox(Connection db, Set<UUID> deadRows, List<Count> counts, List<String> problems) throws SQLException {
        Map<UUID, String> status = new HashMap<>();
        for (String source : events.stream().map(Event::source).distinct().toList()) {
            try (PreparedStatement query = db.prepareStatement(
                    "select event_id, status, last_error from " + source + ".outbox where event_id = any(?)")) {
                query.setArray(1, db.createArrayOf("uuid", events.stream().filter(e -> e.source().equals(source))
                        .map(Event::eventId).toArray()));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        status.put(id, rows.getString(2));
                        if (deadRows.contains(id) && rows.getString(3) == null) {
                            problems.add("Outbox event " + id + " is " + rows.getString(2) + " without last_error");
                        }
                    }
                }
            }
        }
        List<String> lost = new ArrayList<>();
        for (Event event : events) {
            String found = status.get(event.eventId());
            String wanted = deadRows.contains(event.eventId()) ? "DEAD" : "SENT";
            if (found == null) {
                lost.add(event.eventType() + " " + event.eventId());
            } else if (!found.equals(wanted)) {
                problems.add(event.source() + ".outbox " + event.eventType() + " " + event.eventId() + " is " + found
                        + ", expected " + wanted);
            }
        }
        counts.add(new Count("outbox events", events.size(), lost.size(), 0, lost));
    }

    private void deliveries(Connection db, List<Intended> intended, List<Count> counts, List<String> problems)
            throws SQLException {
        Map<String, String> status = new HashMap<>();
        Map<String, String> lastError = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement("select event_id, channel, template, status, last_error"
                + " from notifications.delivery where event_id = any(?)")) {
            query.setArray(1, db.createArrayOf("uuid", events.stream().map(Event::eventId).toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getObject(1, UUID.class) + " " + rows.getString(2) + " " + rows.getString(3);
                    status.put(key, rows.getString(4));
                    lastError.put(key, rows.getString(5));
                }
            }
        }
        List<String> lost = new ArrayList<>();
        for (Intended message : intended) {
            String key = message.deliveryKey();
            String found = status.get(key);
            String wanted = message.dead() ? "DEAD" : "SENT";
            if (found == null) {
                lost.add(key);
            } else if (!found.equals(wanted)) {
                problems.add("Delivery " + key + " is " + found + ", expected " + wanted);
            } else if (message.dead() && lastError.get(key) == null) {
                problems.add("Delivery " + key + " is DEAD without last_error");
            }
        }
        counts.add(new Count("deliveries", intended.size(), lost.size(), 0, lost));
    }

    private void sinks(List<Intended> intended, List<Count> counts, List<String> problems) {
        Map<String, Long> mails = system.messages().mailKeys().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<String> expectedMail = new ArrayList<>();
        for (Intended message : intended) {
            if (message.route().channel().equals("EMAIL")) {
                String key = message.event().eventId() + "." + message.route().template();
                if (message.dead()) {
                    deadButDelivered(mails, key, problems);
                } else {
                    expectedMail.add(key);
                }
            }
        }
        counts.add(Reconciliation.tally("email", expectedMail, mails));

        Set<String> numbers = new HashSet<>();
        events.forEach(event -> numbers.add(event.customer().whatsAppNumber()));
        Map<String, Long> chats = system.messages().whatsApps().stream()
                .filter(chat -> numbers.contains(chat.to()))
                .map(chat -> chat.to() + " " + chat.template())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<String> expectedChats = new ArrayList<>();
        for (Intended message : intended) {
            if (message.route().channel().equals("WHATSAPP")) {
                String key = message.event().customer().whatsAppNumber() + " "
                        + Reconciliation.whatsAppTemplate(message.route().template());
                if (message.dead()) {
                    deadButDelivered(chats, key, problems);
                } else {
                    expectedChats.add(key);
                }
            }
        }
        counts.add(Reconciliation.tally("whatsapp", expectedChats, chats));
    }

    private static void deadButDelivered(Map<String, Long> received, String key, List<String> problems) {
        if (received.getOrDefault(key, 0L) > 0) {
            problems.add("A message meant to end DEAD reached its sink: " + key);
        }
    }
}
