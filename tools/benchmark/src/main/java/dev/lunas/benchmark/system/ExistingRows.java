package dev.lunas.benchmark.system;

import dev.lunas.benchmark.sql.PgbenchScript;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows a probed request found already there (the payment attempt a notification settles), copied for pgbench:
 * before each run, every client gets its own fresh copy for every transaction it may run, numbered the way the
 * script numbers them ({@link PgbenchScript#existingRow}), so each pgbench transaction works on a row in the same
 * state the service's did.
 */
public final class ExistingRows {

    /** A row as it was before the probe, keyed by a single UUID column, every value as text. */
    public record Row(String table, String key, Map<String, String> values, Map<String, String> types) {
    }

    private ExistingRows() {
    }

    /** Every row of a table in {@code schemas} whose single-column UUID primary key is {@code id}. */
    public static List<Row> snapshot(BenchDatabase database, Set<String> schemas, String id) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = database.connect(BenchDatabase.SERVICES)) {
            for (Map.Entry<String, String> table : uuidKeyedTables(connection, schemas).entrySet()) {
                Map<String, String> types = columns(connection, table.getKey());
                StringBuilder select = new StringBuilder("select ");
                types.keySet().forEach(column -> select.append('"').append(column).append("\"::text, "));
                select.setLength(select.length() - 2);
                select.append(" from ").append(table.getKey()).append(" where \"").append(table.getValue()).append("\" = cast(? as uuid)");
                try (PreparedStatement query = connection.prepareStatement(select.toString())) {
                    query.setString(1, id);
                    try (ResultSet row = query.executeQuery()) {
                        if (row.next()) {
                            Map<String, String> values = new LinkedHashMap<>();
                            int i = 1;
                            for (String column : types.keySet()) {
                                values.put(column, row.getString(i++));
                            }
                            rows.add(new Row(table.getKey(), table.getValue(), values, types));
                        }
                    }
                }
            }
        }
        return rows;
    }

    /** The tables of {@code schemas} whose primary key is a single UUID column, with that column. */
    public static Map<String, String> uuidKeyedTables(Connection connection, Set<String> schemas) throws SQLException {
        Map<String, String> keyed = new LinkedHashMap<>();
        try (PreparedStatement tables = connection.prepareStatement(
                "select n.nspname || '.' || c.relname, a.attname from pg_index i"
                        + " join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace"
                        + " join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]"
                        + " where i.indisprimary and i.indnatts = 1 and a.atttypid = 'uuid'::regtype and n.nspname = any(?)"
                        + " order by 1")) {
            tables.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            try (ResultSet found = tables.executeQuery()) {
                while (found.next()) {
                    keyed.put(found.getString(1), found.getString(2));
                }
            }
        }
        return keyed;
    }

    /** Rows of {@code table} whose UUID key lies in run {@code run}'s range: what a pgbench run made or used there. */
    public static long inRun(Connection reference, String table, String key, int run) throws SQLException {
        long[] range = PgbenchScript.runRange(run);
        try (PreparedStatement count = reference.prepareStatement("select count(*) from " + table + " where \"" + key
                + "\" >= cast(? as uuid) and \"" + key + "\" < cast(? as uuid)")) {
            count.setString(1, PgbenchScript.uuidOf(range[0]));
            count.setString(2, PgbenchScript.uuidOf(range[1]));
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** Columns that take a value on insert (no identity or generated ones), with their types. */
    private static Map<String, String> columns(Connection connection, String table) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "select attname, format_type(atttypid, atttypmod) from pg_attribute where attrelid = cast(? as regclass)"
                        + " and attnum > 0 and not attisdropped and attidentity = '' and attgenerated = '' order by attnum")) {
            query.setString(1, table);
            try (ResultSet columns = query.executeQuery()) {
                while (columns.next()) {
                    types.put(columns.getString(1), columns.getString(2));
                }
            }
        }
        return types;
    }

    /**
     * Inserts {@code perClient} copies of {@code row} for each of {@code clients} clients of run {@code run}, keyed
     * as the script's pre-existing UUID {@code slot}.
     *
     * @return the id of the inserting transaction: rows a run changed afterwards carry another one
     */
    public static long seed(Connection reference, Row row, int slot, int run, int clients, long perClient) throws SQLException {
        StringBuilder insert = new StringBuilder("insert into ").append(row.table()).append(" (");
        StringBuilder select = new StringBuilder(" select ");
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> column : row.types().entrySet()) {
            insert.append('"').append(column.getKey()).append("\", ");
            if (column.getKey().equals(row.key())) {
                select.append("cast(lpad(to_hex((cast(? as bigint) * ").append(PgbenchScript.CLIENTS_PER_RUN)
                        .append(" + c + 1) * ").append(PgbenchScript.RANGE).append(" + cast(n as bigint) * ")
                        .append(PgbenchScript.SLOTS).append(" + ").append(PgbenchScript.SLOTS - slot).append("), 32, '0') as uuid), ");
                values.add(String.valueOf(run));
            } else {
                select.append("cast(cast(? as text) as ").append(column.getValue()).append("), ");
                values.add(row.values().get(column.getKey()));
            }
        }
        insert.setLength(insert.length() - 2);
        select.setLength(select.length() - 2);
        String sql = insert + ")" + select + " from generate_series(0, " + (clients - 1) + ") as c, generate_series(1, "
                + perClient + ") as n";
        boolean autoCommit = reference.getAutoCommit();
        reference.setAutoCommit(false);
        try (PreparedStatement statement = reference.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                statement.setString(i + 1, values.get(i));
            }
            statement.executeUpdate();
            long txid;
            try (Statement current = reference.createStatement(); ResultSet id = current.executeQuery("select txid_current()")) {
                id.next();
                txid = id.getLong(1);
            }
            reference.commit();
            return txid;
        } catch (SQLException e) {
            reference.rollback();
            throw e;
        } finally {
            reference.setAutoCommit(autoCommit);
        }
    }

    /** How many of run {@code run}'s copies of {@code row} a transaction other than the seeding one has changed. */
    public static long changed(Connection reference, Row row, int run, long seedingTxid) throws SQLException {
        long[] range = PgbenchScript.runRange(run);
        try (PreparedStatement count = reference.prepareStatement("select count(*) from " + row.table() + " where \""
                + row.key() + "\" >= cast(? as uuid) and \"" + row.key() + "\" < cast(? as uuid) and xmin::text <> ?")) {
            count.setString(1, PgbenchScript.uuidOf(range[0]));
            count.setString(2, PgbenchScript.uuidOf(range[1]));
            count.setString(3, String.valueOf(seedingTxid));
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
