package dev.lunas.order.testing;

import dev.lunas.common.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Plain JDBC on the test database, to set up rows and to check what the service really wrote. */
public final class Db {

    public static final List<String> TABLES = List.of("package", "discount_code", "customer_order",
            "discount_redemption", "entitlement", "audit_log", "idempotency_key", "processed_event", "outbox");

    private Db() {
    }

    public static int execute(String sql, Object... args) {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement statement = prepare(connection, sql, args)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static List<Map<String, Object>> rows(String sql, Object... args) {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement statement = prepare(connection, sql, args);
             ResultSet rs = statement.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static Map<String, Object> row(String sql, Object... args) {
        List<Map<String, Object>> rows = rows(sql, args);
        if (rows.size() != 1) {
            throw new AssertionError("Expected one row, got " + rows.size() + " for " + sql);
        }
        return rows.get(0);
    }

    public static Object value(String sql, Object... args) {
        return row(sql, args).values().iterator().next();
    }

    public static long count(String sql, Object... args) {
        return ((Number) value(sql, args)).longValue();
    }

    /** Row counts of every table of the schema, to prove a refused request wrote nothing. */
    public static Map<String, Long> tableCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, count("select count(*) from orders." + table));
        }
        return counts;
    }

    public static String createPackage(String prefix, long price, Integer quota) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        execute("insert into orders.package (id, name, price, quota) values (?, ?, ?, ?)", id, "Paket " + id, price, quota);
        return id;
    }

    public static String createPercentCode(int percent, String packageId, Integer maxUses, boolean oncePerEmail) {
        String code = "P" + shortId();
        execute("insert into orders.discount_code (code, kind, percent_off, package_id, max_uses, once_per_email)"
                + " values (?, 'PERCENT', ?, ?, ?, ?)", code, percent, packageId, maxUses, oncePerEmail);
        return code;
    }

    public static String createFixedCode(long amountOff, String packageId, Integer maxUses, boolean oncePerEmail) {
        String code = "F" + shortId();
        execute("insert into orders.discount_code (code, kind, amount_off, package_id, max_uses, once_per_email)"
                + " values (?, 'FIXED', ?, ?, ?, ?)", code, amountOff, packageId, maxUses, oncePerEmail);
        return code;
    }

    public static String createWindowedCode(Instant validFrom, Instant validUntil) {
        String code = "W" + shortId();
        execute("insert into orders.discount_code (code, kind, percent_off, valid_from, valid_until)"
                + " values (?, 'PERCENT', 10, ?, ?)", code, Timestamp.from(validFrom),
                Timestamp.from(validUntil));
        return code;
    }

    public static String orderStatus(UUID orderId) {
        return (String) value("select status from orders.customer_order where id = ?", orderId);
    }

    public static int reserved(String packageId) {
        return ((Number) value("select reserved from orders.package where id = ?", packageId)).intValue();
    }

    public static int uses(String code) {
        return ((Number) value("select uses from orders.discount_code where code = ?", code)).intValue();
    }

    public static long outbox(UUID orderId, String eventType) {
        return count("select count(*) from orders.outbox where aggregate_id = ? and event_type = ?", orderId.toString(), eventType);
    }

    /** One field of the payloads of an order's events of a type, oldest first. */
    public static List<String> outboxField(UUID orderId, String eventType, String field) {
        return rows("select payload->>? as field from orders.outbox where aggregate_id = ? and event_type = ? order by id",
                field, orderId.toString(), eventType).stream().map(row -> (String) row.get("field")).toList();
    }

    /** Moves an order's deadline (and creation) relative to now, as if time had passed. */
    public static void shiftOrder(UUID orderId, String createdAgo, String expiresIn) {
        execute("update orders.customer_order set created_at = now() - cast(? as interval),"
                + " expires_at = now() + cast(? as interval) where id = ?", createdAgo, expiresIn, orderId);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }
}
