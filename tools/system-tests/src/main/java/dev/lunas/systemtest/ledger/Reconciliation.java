package dev.lunas.systemtest.ledger;

import dev.lunas.launcher.midtrans.LedgerEntry;
import dev.lunas.systemtest.harness.CapturedMessages;
import dev.lunas.systemtest.harness.HarnessException;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.ReconciliationReport.Count;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares a {@link CheckoutLedger} with what the system holds and delivered, by docs/reliability.md §8's counting
 * method, for the ledger's orders only (other scenarios' orders in the same database are not looked at):
 * <ol>
 *   <li>every 2xx checkout has exactly one order, and the ledger's customers have no other order;</li>
 *   <li>every committed change (an audit row of order- or payment-service) has exactly one outbox event,
 *       and every outbox event exactly one delivery per message docs/integration.md routes it to;</li>
 *   <li>the sinks, keyed by event (mail Message-ID, order-service's processed events) or by order (the
 *       customer's own WhatsApp number and the template): {@code lost = expected − distinct},
 *       {@code duplicates = received − distinct};</li>
 *   <li>the Midtrans simulator's ledger agrees with payment-service's attempts and order-service's orders;</li>
 *   <li>every outbox row ended SENT (or DEAD) and every delivery SENT (or DEAD, or SKIPPED).</li>
 * </ol>
 * Messages that are still on their way count as lost, so a scenario waits until the report balances.
 */
public final class Reconciliation {

    /** One message a delivery makes: the channel and the template (docs/integration.md, "Events"). */
    record Route(String channel, String template) {
    }

    private static final Route INTERNAL = new Route("INTERNAL", "payment-result");

    /** Which messages each event type is meant to make: the contract, not notification-service's code. */
    private static final Map<String, List<Route>> ROUTES = Map.ofEntries(
            Map.entry("OrderCreated", List.of()),
            Map.entry("PaymentRequested", List.of(new Route("EMAIL", "payment-instructions"),
                    new Route("WHATSAPP", "payment-instructions"))),
            Map.entry("PaymentReminderDue", List.of(new Route("EMAIL", "payment-reminder"),
                    new Route("WHATSAPP", "payment-reminder"))),
            Map.entry("OrderPaid", List.of(new Route("EMAIL", "payment-success"), new Route("WHATSAPP", "payment-success"))),
            Map.entry("OrderExpired", List.of(new Route("EMAIL", "order-expired"))),
            Map.entry("PaymentSettled", List.of(INTERNAL)),
            Map.entry("PaymentFailed", List.of(INTERNAL)),
            Map.entry("PaymentExpired", List.of(INTERNAL)),
            Map.entry("PaymentRefunded", List.of(INTERNAL)),
            Map.entry("PaymentChargedBack", List.of(INTERNAL)),
            Map.entry("PaymentReversed", List.of(INTERNAL)),
            Map.entry("OpsAlert", List.of(new Route("EMAIL", "ops-alert"))));

    /** The event an order-service audit row ({@code action = 'status'}, new status) commits with. */
    private static final Map<String, String> ORDER_STATUS_EVENTS = Map.of(
            "CREATED", "OrderCreated", "PENDING_PAYMENT", "PaymentRequested", "PAID", "OrderPaid", "EXPIRED", "OrderExpired");
    /** The event a payment-service audit row (its action is the state machine's effect) commits with. */
    private static final Map<String, String> PAYMENT_EFFECT_EVENTS = Map.of(
            "SETTLE", "PaymentSettled", "LATE_SETTLE", "PaymentSettled", "FAIL", "PaymentFailed", "EXPIRE", "PaymentExpired",
            "REFUND", "PaymentRefunded", "CHARGEBACK", "PaymentChargedBack", "REVERSE", "PaymentReversed");
    /** What a Midtrans transaction status leaves the payment attempt as. */
    private static final Map<String, String> MIDTRANS_TO_ATTEMPT = Map.of(
            "awaiting_choice", "PENDING", "pending", "PENDING", "settlement", "SETTLED", "deny", "FAILED", "expire", "EXPIRED");
    private static final Map<String, String> ATTEMPT_TO_ORDER = Map.of(
            "PENDING", "PENDING_PAYMENT", "SETTLED", "PAID", "FAILED", "FAILED", "EXPIRED", "EXPIRED");

    private final SystemUnderTest system;
    private final CheckoutLedger ledger;
    private final List<Count> counts = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** The messages an event type is meant to make; empty for a type no contract names. */
    static List<Route> routes(String eventType) {
        return ROUTES.getOrDefault(eventType, List.of());
    }

    static boolean routed(String eventType) {
        return ROUTES.containsKey(eventType);
    }

    private Reconciliation(SystemUnderTest system, CheckoutLedger ledger) {
        this.system = system;
        this.ledger = ledger;
    }

    public static ReconciliationReport of(SystemUnderTest system, CheckoutLedger ledger) {
        Reconciliation reconciliation = new Reconciliation(system, ledger);
        try (Connection connection = system.connect()) {
            reconciliation.run(connection);
        } catch (SQLException e) {
            throw new HarnessException("Reconciliation queries failed", e);
        }
        return new ReconciliationReport(reconciliation.counts, reconciliation.problems);
    }

    private void run(Connection db) throws SQLException {
        List<UUID> orderIds = ledger.orderIds();
        Map<UUID, String> orderStatus = orders(db, orderIds);
        List<OutboxRow> outbox = new ArrayList<>();
        outbox.addAll(outboxEvents(db, "orders", orderIds));
        outbox.addAll(outboxEvents(db, "payments", orderIds));
        outboxAgainstAudit(db, orderIds, outbox);
        deliveries(db, outbox);
        sinks(db, outbox);
        midtrans(db, orderIds, orderStatus);
    }

    // ---- (a) every 2xx checkout is exactly one order ------------------------------------------------------

    private Map<UUID, String> orders(Connection db, List<UUID> orderIds) throws SQLException {
        Map<UUID, String> status = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement("select id, status from orders.customer_order where id = any(?)")) {
            query.setArray(1, uuids(db, orderIds));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    status.put(rows.getObject(1, UUID.class), rows.getString(2));
                }
            }
        }
        List<String> missing = orderIds.stream().filter(id -> !status.containsKey(id)).map(UUID::toString).toList();
        counts.add(new Count("orders", orderIds.size(), missing.size(), 0, missing));

        // each idempotency key of a 2xx answer stands for the order that answer named
        Map<String, UUID> answered = new LinkedHashMap<>();
        ledger.entries().stream().filter(CheckoutLedger.Entry::successful).forEach(entry -> {
            UUID earlier = answered.putIfAbsent(entry.idempotencyKey(), entry.orderId());
            if (earlier != null && !earlier.equals(entry.orderId())) {
                problems.add("Idempotency-Key " + entry.idempotencyKey() + " answered two orders: " + earlier + ", " + entry.orderId());
            }
        });
        try (PreparedStatement query = db.prepareStatement(
                "select id from orders.customer_order where lower(customer_email) = any(?) and not (id = any(?))")) {
            query.setArray(1, db.createArrayOf("text", ledger.customers().stream().map(c -> c.email().toLowerCase()).toArray()));
            query.setArray(2, uuids(db, orderIds));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    problems.add("Order " + rows.getString(1) + " of a ledger customer was never answered with 2xx (extra order)");
                }
            }
        }
        return status;
    }

    // ---- (b) every committed change has exactly one outbox event ------------------------------------------

    private record OutboxRow(String source, UUID eventId, String eventType, UUID orderId, String status) {
    }

    private static List<OutboxRow> outboxEvents(Connection db, String schema, List<UUID> orderIds) throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("select event_id, event_type, aggregate_id, status from " + schema
                + ".outbox where aggregate_id = any(?) order by id")) {
            query.setArray(1, db.createArrayOf("text", orderIds.stream().map(UUID::toString).toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new OutboxRow(schema, result.getObject(1, UUID.class), result.getString(2),
                            UUID.fromString(result.getString(3)), result.getString(4)));
                }
            }
        }
        return rows;
    }

    private void outboxAgainstAudit(Connection db, List<UUID> orderIds, List<OutboxRow> outbox) throws SQLException {
        Map<String, Integer> expected = new TreeMap<>();
        try (PreparedStatement query = db.prepareStatement(
                "select order_id, action, new_value from orders.audit_log where order_id = any(?)")) {
            query.setArray(1, uuids(db, orderIds));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String event = switch (rows.getString(2)) {
                        case "status" -> ORDER_STATUS_EVENTS.get(rows.getString(3));
                        case "reminder" -> "PaymentReminderDue";
                        default -> null;
                    };
                    if (event != null) {
                        expected.merge(rows.getString(1) + " " + event, 1, Integer::sum);
                    }
                }
            }
        }
        try (PreparedStatement query = db.prepareStatement(
                "select order_id, action from payments.payment_audit where order_id = any(?)")) {
            query.setArray(1, uuids(db, orderIds));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String event = PAYMENT_EFFECT_EVENTS.get(rows.getString(2));
                    if (event != null) {
                        expected.merge(rows.getString(1) + " " + event, 1, Integer::sum);
                    }
                }
            }
        }
        Map<String, Integer> found = new TreeMap<>();
        for (OutboxRow row : outbox) {
            if (!row.eventType().equals("OpsAlert")) {
                found.merge(row.orderId() + " " + row.eventType(), 1, Integer::sum);
            }
        }
        List<String> lost = new ArrayList<>();
        int duplicates = 0;
        for (Map.Entry<String, Integer> change : expected.entrySet()) {
            int events = found.getOrDefault(change.getKey(), 0);
            if (events < change.getValue()) {
                lost.add(change.getKey());
            }
            duplicates += Math.max(0, events - change.getValue());
        }
        found.keySet().stream().filter(key -> !expected.containsKey(key))
                .forEach(key -> problems.add("Outbox event without a committed change behind it: " + key));
        counts.add(new Count("outbox events", expected.values().stream().mapToInt(Integer::intValue).sum(), lost.size(),
                duplicates, lost));
        outbox.stream().filter(row -> row.status().equals("PENDING"))
                .forEach(row -> problems.add(row.source() + ".outbox " + row.eventType() + " " + row.eventId()
                        + " of order " + row.orderId() + " is still PENDING"));
        outbox.stream().filter(row -> row.status().equals("DEAD"))
                .forEach(row -> problems.add(row.source() + ".outbox " + row.eventType() + " " + row.eventId() + " is DEAD"));
    }

    // ---- (b) every outbox event has one delivery per intended message -------------------------------------

    private record DeliveryRow(UUID eventId, String channel, String template, String status) {
    }

    private void deliveries(Connection db, List<OutboxRow> outbox) throws SQLException {
        List<DeliveryRow> rows = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement(
                "select event_id, channel, template, status from notifications.delivery where event_id = any(?)")) {
            query.setArray(1, uuids(db, outbox.stream().map(OutboxRow::eventId).toList()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new DeliveryRow(result.getObject(1, UUID.class), result.getString(2), result.getString(3),
                            result.getString(4)));
                }
            }
        }
        Set<String> made = rows.stream().map(row -> row.eventId() + " " + row.channel() + " " + row.template())
                .collect(Collectors.toSet());
        List<String> lost = new ArrayList<>();
        int expected = 0;
        for (OutboxRow event : outbox) {
            for (Route route : routes(event.eventType())) {
                expected++;
                if (!made.contains(event.eventId() + " " + route.channel() + " " + route.template())) {
                    lost.add(event.eventType() + " " + event.eventId() + " → " + route.channel() + " " + route.template());
                }
            }
            if (!routed(event.eventType())) {
                problems.add("Outbox event type " + event.eventType() + " is in no contract");
            }
        }
        counts.add(new Count("deliveries", expected, lost.size(), 0, lost));
        for (DeliveryRow row : rows) {
            switch (row.status()) {
                case "SENT" -> { }
                case "DEAD" -> problems.add("Delivery " + row.channel() + " " + row.template() + " of event " + row.eventId()
                        + " is DEAD");
                case "SKIPPED" -> problems.add("Delivery " + row.channel() + " " + row.template() + " of event "
                        + row.eventId() + " was SKIPPED: its channel is switched off");
                default -> problems.add("Delivery " + row.channel() + " " + row.template() + " of event " + row.eventId()
                        + " is still " + row.status());
            }
        }
    }

    // ---- (c) the sinks: lost = expected − distinct, duplicates = received − distinct ----------------------

    private void sinks(Connection db, List<OutboxRow> outbox) throws SQLException {
        CapturedMessages messages = system.messages();

        List<String> expectedMail = intended(outbox, "EMAIL").stream()
                .map(key -> key.eventId() + "." + key.route().template()).toList();
        Map<String, Long> mailReceived = messages.mailKeys().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        counts.add(tally("email", expectedMail, mailReceived));

        // WhatsApp messages carry no event id: each ledger customer has a number of their own, so the number and
        // the template name identify the order's message
        Map<String, String> numbers = new HashMap<>();
        ledger.orderIds().forEach(id -> numbers.put(id.toString(), ledger.customerOf(id).whatsAppNumber()));
        List<String> expectedWhatsApp = intended(outbox, "WHATSAPP").stream()
                .map(key -> numbers.get(key.orderId().toString()) + " " + whatsAppTemplate(key.route().template())).toList();
        Set<String> ledgerNumbers = new HashSet<>(numbers.values());
        Map<String, Long> whatsAppReceived = messages.whatsApps().stream()
                .filter(message -> ledgerNumbers.contains(message.to()))
                .map(message -> message.to() + " " + message.template())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        counts.add(tally("whatsapp", expectedWhatsApp, whatsAppReceived));

        List<String> expectedInternal = intended(outbox, "INTERNAL").stream().map(key -> key.eventId().toString()).toList();
        Map<String, Long> applied = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement("select event_id from orders.processed_event where event_id = any(?)")) {
            query.setArray(1, uuids(db, expectedInternal.stream().map(UUID::fromString).toList()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    applied.merge(rows.getString(1), 1L, Long::sum);
                }
            }
        }
        counts.add(tally("internal events", expectedInternal, applied));
    }

    private record Intended(UUID eventId, UUID orderId, Route route) {
    }

    private static List<Intended> intended(List<OutboxRow> outbox, String channel) {
        List<Intended> intended = new ArrayList<>();
        for (OutboxRow event : outbox) {
            for (Route route : routes(event.eventType())) {
                if (route.channel().equals(channel)) {
                    intended.add(new Intended(event.eventId(), event.orderId(), route));
                }
            }
        }
        return intended;
    }

    /** The approved WhatsApp template notification-service sends for a message (its configured defaults). */
    static String whatsAppTemplate(String template) {
        return "lunas_" + template.replace('-', '_');
    }

    static Count tally(String what, List<String> expectedKeys, Map<String, Long> received) {
        Map<String, Long> expected = expectedKeys.stream()
                .collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()));
        List<String> lost = new ArrayList<>();
        int duplicates = 0;
        for (Map.Entry<String, Long> key : expected.entrySet()) {
            long got = received.getOrDefault(key.getKey(), 0L);
            if (got < key.getValue()) {
                lost.add(key.getKey());
            }
            duplicates += (int) Math.max(0, got - key.getValue());
        }
        return new Count(what, expectedKeys.size(), lost.size(), duplicates, lost);
    }

    // ---- (d) Midtrans, payment-service and order-service agree -------------------------------------------

    private void midtrans(Connection db, List<UUID> orderIds, Map<UUID, String> orderStatus) throws SQLException {
        Map<UUID, String> attempts = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement(
                "select order_id, status from payments.payment_attempt where order_id = any(?)")) {
            query.setArray(1, uuids(db, orderIds));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    attempts.put(rows.getObject(1, UUID.class), rows.getString(2));
                }
            }
        }
        for (UUID orderId : orderIds) {
            Optional<LedgerEntry> transaction = system.simulator().transaction(orderId.toString());
            if (transaction.isEmpty()) {
                problems.add("Midtrans never saw order " + orderId);
                continue;
            }
            String midtransStatus = transaction.get().status();
            String attempt = attempts.get(orderId);
            String expectedAttempt = MIDTRANS_TO_ATTEMPT.get(midtransStatus);
            if (expectedAttempt == null) {
                problems.add("Order " + orderId + ": Midtrans status " + midtransStatus + " is not one these scenarios make");
            } else if (!expectedAttempt.equals(attempt)) {
                problems.add("Order " + orderId + ": Midtrans says " + midtransStatus + ", payment-service's attempt is " + attempt);
            } else if (!ATTEMPT_TO_ORDER.get(attempt).equals(orderStatus.get(orderId))) {
                problems.add("Order " + orderId + ": payment-service's attempt is " + attempt + ", the order is "
                        + orderStatus.get(orderId));
            }
        }
    }

    private static Array uuids(Connection db, List<UUID> ids) throws SQLException {
        return db.createArrayOf("uuid", ids.toArray());
    }
}
