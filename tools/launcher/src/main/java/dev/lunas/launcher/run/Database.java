package dev.lunas.launcher.run;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The PostgreSQL the services of a system share, as they reach it: the URLs and credentials they are given and
 * connections for the tooling's own queries. When the system runs it itself, {@link #server()} is that embedded
 * server, which can be stopped and started under the services.
 *
 * @param username null when the URL carries the credentials
 * @param password null when the URL carries the credentials
 */
public record Database(String jdbcUrl, String username, String password, Optional<EmbeddedDatabase> server) {

    /** Whether this system runs the server (and so can stop and start it). */
    public boolean embedded() {
        return server.isPresent();
    }

    /** The same database, logged in as another role. */
    public Database as(String username, String password) {
        return new Database(jdbcUrl, username, password, server);
    }

    /** The same database for the Vert.x reactive client, which takes the URL without "jdbc:" and its parameters. */
    public String reactiveUrl() {
        String url = jdbcUrl.substring("jdbc:".length());
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** The services' {@code QUARKUS_DATASOURCE_*} settings for this database. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ServiceVariable.QUARKUS_DATASOURCE_REACTIVE_URL.name(), reactiveUrl());
        settings.put(ServiceVariable.QUARKUS_DATASOURCE_JDBC_URL.name(), jdbcUrl);
        if (username != null) {
            settings.put(ServiceVariable.QUARKUS_DATASOURCE_USERNAME.name(), username);
        }
        if (password != null) {
            settings.put(ServiceVariable.QUARKUS_DATASOURCE_PASSWORD.name(), password);
        }
        return settings;
    }

    /**
     * A new JDBC connection (the caller closes it), logged in with these credentials: a local system's are the
     * superuser's, for the tooling's own queries ({@link #as} logs in as one of the services' roles).
     *
     * @throws LaunchException when the database cannot be reached
     */
    public Connection connect() {
        Properties login = new Properties();
        if (username != null) {
            login.setProperty("user", username);
        }
        if (password != null) {
            login.setProperty("password", password);
        }
        try {
            return DriverManager.getConnection(jdbcUrl, login);
        } catch (SQLException e) {
            throw new LaunchException("Cannot connect to " + RunPlan.withoutCredentials(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }
}
