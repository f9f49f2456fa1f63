package dev.lunas.systemtest.faults;

import dev.lunas.systemtest.harness.HarnessException;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The few read-only queries scenarios make to look behind the services (the reconciliation makes the rest);
 * parameters are bound, a {@code Collection} as an array ({@code = any(?)}).
 */
final class Db {

    private final SystemUnderTest system;

    Db(SystemUnderTest system) {
        this.system = system;
    }

    long count(String sql, Object... parameters) {
        return rows(sql, parameters).stream().findFirst().map(row -> ((Number) row.get(0)).longValue()).orElse(0L);
    }

    /** First column → second column (a number), e.g. {@code select status, count(*) … group by 1}. */
    Map<String, Long> counts(String sql, Object... parameters) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (List<Object> row : rows(sql, parameters)) {
            counts.put(String.valueOf(row.get(0)), ((Number) row.get(1)).longValue());
        }
        return counts;
    }

    List<List<Object>> rows(String sql, Object... parameters) {
        try (Connection db = system.connect(); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i] instanceof Collection<?> values ? array(db, values) : parameters[i]);
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int c = 1; c <= columns; c++) {
                        row.add(result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new HarnessException("Query failed: " + sql, e);
        }
    }

    int update(String sql, Object... parameters) {
        try (Connection db = system.connect(); PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i] instanceof Collection<?> values ? array(db, values) : parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new HarnessException("Statement failed: " + sql, e);
        }
    }

    private static Array array(Connection db, Collection<?> values) throws SQLException {
        boolean uuids = !values.isEmpty() && values.iterator().next() instanceof UUID;
        return db.createArrayOf(uuids ? "uuid" : "text", values.toArray());
    }
}
