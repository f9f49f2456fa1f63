package dev.lunas.launcher.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Production's database roles (deploy/db/init.sql, docs/database-roles.md) in the embedded PostgreSQL of a local
 * system, so that what runs and is tested locally logs in as production does: each service as its runtime role,
 * its Flyway migrations as the owner of its schema. The tooling itself (the harness's queries, the benchmark) keeps
 * the superuser.
 */
public final class DatabaseRoles {

    /** The role script, in the repository. */
    public static final Path SCRIPT = Path.of("deploy", "db", "init.sql");
    /** The read-only role of the exporters and dashboards. */
    public static final String MONITOR = "lunas_monitor";

    private DatabaseRoles() {
    }

    /** The role the service runs as: reads and writes its schema's tables, changes nothing in the schema. */
    public static String runtime(Service service) {
        return "lunas_" + service.schema();
    }

    /** The role that owns the service's schema and runs its migrations. */
    public static String owner(Service service) {
        return runtime(service) + "_owner";
    }

    /** Every role of the script: each service's owner and runtime role, and the monitoring role. */
    public static List<String> all() {
        List<String> roles = new ArrayList<>();
        for (Service service : Service.values()) {
            roles.add(owner(service));
            roles.add(runtime(service));
        }
        roles.add(MONITOR);
        return roles;
    }

    /** A role's password on a local system: its name (the embedded server trusts local connections anyway). */
    public static String localPassword(String role) {
        return role;
    }

    /** The service's logins on a local system with the roles: the datasource's and Flyway's. */
    static Map<String, String> logins(Service service) {
        Map<String, String> logins = new LinkedHashMap<>();
        logins.put(ServiceVariable.QUARKUS_DATASOURCE_USERNAME.name(), runtime(service));
        logins.put(ServiceVariable.QUARKUS_DATASOURCE_PASSWORD.name(), localPassword(runtime(service)));
        logins.put(ServiceVariable.QUARKUS_FLYWAY_USERNAME.name(), owner(service));
        logins.put(ServiceVariable.QUARKUS_FLYWAY_PASSWORD.name(), localPassword(owner(service)));
        return logins;
    }

    /**
     * Applies the role script to a new database (in one transaction), or finds it applied by an earlier run, and sets
     * the local passwords. A database whose Lunas schemas were made before the roles existed (a data folder of
     * {@code ./lunas run} from before) is left as it is: its services keep running as the superuser, and {@code note}
     * says how to get the roles.
     *
     * @param superuser the database, logged in as its superuser
     * @return each service's logins ({@link #logins}); empty when the services run as the superuser
     * @throws LaunchException when the script is missing or fails
     */
    static Map<Service, Map<String, String>> setUp(Database superuser, Path script, Consumer<String> note) {
        try (Connection connection = superuser.connect(); Statement sql = connection.createStatement()) {
            boolean roles = exists(sql, "select 1 from pg_roles where rolname = '" + owner(Service.ORDER) + "'");
            if (!roles) {
                if (exists(sql, "select 1 from pg_namespace where nspname in (" + String.join(", ", schemas()) + ")")) {
                    note.accept("The database predates the database roles, so the services run as the superuser;"
                            + " move its data folder away to start afresh with production's roles (docs/database-roles.md)");
                    return Map.of();
                }
                connection.setAutoCommit(false);
                sql.execute(Files.readString(script, StandardCharsets.UTF_8));
                connection.commit();
                connection.setAutoCommit(true);
            }
            for (String role : all()) {
                sql.execute("alter role " + role + " password '" + localPassword(role) + "'");
            }
        } catch (IOException e) {
            throw new LaunchException("Cannot read the database roles' script " + script + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new LaunchException("Cannot set up the database roles (" + script + "): " + e.getMessage(), e);
        }
        Map<Service, Map<String, String>> logins = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            logins.put(service, logins(service));
        }
        return logins;
    }

    private static List<String> schemas() {
        return Arrays.stream(Service.values()).map(service -> "'" + service.schema() + "'").toList();
    }

    private static boolean exists(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            return rows.next();
        }
    }
}
