package dev.lunas.payment.testing;

import dev.lunas.common.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JDBC on the test database, to check what the service wrote (tables are schema-qualified). */
public final class Db {

    private Db() {
    }

    public static void reset() {
        update("truncate payments.payment_audit, payments.payment_event, payments.outbox, payments.payment_attempt"
                + " restart identity cascade");
    }

    public static int update(String sql, Object... parameters) {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static long count(String sql, Object... parameters) {
        Object value = single(sql, parameters);
        return value == null ? 0 : ((Number) value).longValue();
    }

    public static Object single(String sql, Object... parameters) {
        List<Map<String, Object>> rows = rows(sql, parameters);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    public static Map<String, Object> row(String sql, Object... parameters) {
        List<Map<String, Object>> rows = rows(sql, parameters);
        if (rows.size() != 1) {
            throw new AssertionError("Expected one row but found " + rows.size() + ": " + sql);
        }
        return rows.get(0);
    }

    public static List<Map<String, Object>> rows(String sql, Object... parameters) {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet result = statement.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Everything the service wrote, for "nothing was written" checks. */
    public static long writtenRows() {
        return count("select (select count(*) from payments.payment_event) + (select count(*) from payments.outbox)"
                + " + (select count(*) from payments.payment_audit) + (select count(*) from payments.payment_attempt)");
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
