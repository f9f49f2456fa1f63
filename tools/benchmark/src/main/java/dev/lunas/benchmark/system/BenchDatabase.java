package dev.lunas.benchmark.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The benchmark's side door into its own PostgreSQL: the services' database ({@value #SERVICES}), a copy of its
 * schemas for pgbench ({@value #REFERENCE}), and the server settings the SQL capture switches. Nothing here runs
 * while a figure is being measured, except the short queries that read results afterwards.
 */
public final class BenchDatabase {

    public static final String SERVICES = "lunas";
    public static final String REFERENCE = "lunas_pgbench";
    public static final String MAINTENANCE = "postgres";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    private static final Pattern QUALIFIED_NAME = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");

    private final int port;
    private final Map<String, List<String>> parameterTypes = new ConcurrentHashMap<>();

    public BenchDatabase(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + database, USER, PASSWORD);
    }

    /** Runs statements on {@code database}, each in its own transaction. */
    public void execute(String database, String... statements) throws SQLException {
        try (Connection connection = connect(database); Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    /** A single number from {@code database}; 0 when the query returns no row or NULL. */
    public long number(String database, String query, Object... parameters) throws SQLException {
        try (Connection connection = connect(database); PreparedStatement sql = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                sql.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = sql.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    public String text(String database, String query) throws SQLException {
        try (Connection connection = connect(database); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery(query)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    /**
     * Logs every statement of every session (or none again). The services' sessions take the setting at their
     * next statement; this session's {@code SHOW} proves the server has reloaded it.
     */
    public void logAllStatements(boolean on) throws SQLException {
        String value = on ? "all" : "none";
        try (Connection connection = connect(MAINTENANCE); Statement sql = connection.createStatement()) {
            sql.execute("alter system set log_statement = '" + value + "'");
            sql.execute("select pg_reload_conf()");
        }
        try (Connection connection = connect(MAINTENANCE); Statement sql = connection.createStatement();
             ResultSet shown = sql.executeQuery("show log_statement")) {
            if (!shown.next() || !value.equals(shown.getString(1))) {
                throw new IllegalStateException("PostgreSQL did not take log_statement = " + value);
            }
        }
    }

    /** Runs a statement that names a fresh marker, so its arrival in the server log shows the log has caught up. */
    public String logMarker() throws SQLException {
        String marker = "lunas-bench-marker-" + UUID.randomUUID();
        try (Connection connection = connect(MAINTENANCE); Statement sql = connection.createStatement()) {
            sql.execute("select '" + marker + "'");
        }
        return marker;
    }

    /**
     * The type PostgreSQL infers for each {@code $n} of a statement, as it did when the service's driver prepared
     * it (the driver lets the server infer them): from {@code pg_prepared_statements} after a {@code PREPARE}.
     */
    public List<String> parameterTypes(String sql) {
        return parameterTypes.computeIfAbsent(sql, text -> {
            try (Connection connection = connect(SERVICES); Statement statement = connection.createStatement()) {
                statement.execute("prepare lunas_bench_types as " + text);
                try (ResultSet types = statement.executeQuery(
                        "select parameter_types::text[] from pg_prepared_statements where name = 'lunas_bench_types'")) {
                    types.next();
                    String[] names = (String[]) types.getArray(1).getArray();
                    return List.copyOf(Arrays.asList(names));
                } finally {
                    statement.execute("deallocate lunas_bench_types");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot prepare a captured statement to learn its parameter types: "
                        + e.getMessage() + "\n" + text, e);
            }
        });
    }

    /** Whether the row of {@code table} whose {@code column} is {@code value} was written by transaction {@code txid}. */
    public boolean insertedBy(String table, String column, String value, long txid) {
        if (!QUALIFIED_NAME.matcher(table).matches() || !column.matches("[a-z_][a-z0-9_]*")) {
            return false;
        }
        try {
            return number(SERVICES, "select count(*) from " + table + " where " + column + " = cast(? as bigint)"
                    + " and xmin::text = ?", value, String.valueOf(txid)) == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Makes {@value #REFERENCE} a copy of the services' database (schemas, seed rows, triggers). PostgreSQL copies
     * only a database nobody is connected to, so this is called while the services are stopped; their connections
     * may take a moment to go.
     */
    public void copyServicesDatabase(Duration patience) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        execute(MAINTENANCE, "drop database if exists " + REFERENCE);
        while (true) {
            try {
                execute(MAINTENANCE, "create database " + REFERENCE + " template " + SERVICES);
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Summed {@code pg_stat_statements} calls of these statements in the services' database. */
    public Map<Long, Long> statementCalls(List<Long> queryIds) throws SQLException {
        Map<Long, Long> calls = new ConcurrentHashMap<>();
        if (queryIds.isEmpty()) {
            return calls;
        }
        try (Connection connection = connect(SERVICES); PreparedStatement sql = connection.prepareStatement(
                "select queryid, sum(calls) from pg_stat_statements s join pg_database d on d.oid = s.dbid"
                        + " where d.datname = ? and queryid = any(?) group by queryid")) {
            sql.setString(1, SERVICES);
            sql.setArray(2, connection.createArrayOf("bigint", queryIds.toArray()));
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    calls.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        return calls;
    }

    /** Rows of a query as text, for reading results. */
    public List<List<String>> rows(String database, String query, Object... parameters) throws SQLException {
        try (Connection connection = connect(database); PreparedStatement sql = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof List<?> list) {
                    sql.setArray(i + 1, connection.createArrayOf("text", list.toArray()));
                } else {
                    sql.setObject(i + 1, parameters[i]);
                }
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet row = sql.executeQuery()) {
                int columns = row.getMetaData().getColumnCount();
                while (row.next()) {
                    List<String> values = new ArrayList<>(columns);
                    for (int c = 1; c <= columns; c++) {
                        values.add(row.getString(c));
                    }
                    rows.add(values);
                }
            }
            return rows;
        }
    }
}
