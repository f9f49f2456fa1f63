package dev.lunas.launcher.run;

import static dev.lunas.launcher.run.RepositoryFiles.repository;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a local system puts production's roles (deploy/db/init.sql) into its embedded PostgreSQL: on a new database the
 * script runs and every service gets its runtime and owner logins; the next start of the same data finds them; a
 * database whose schemas predate the roles is left alone and its services keep the superuser. What each role may do
 * is tested on the running system (system-tests, DatabaseRolesTest).
 */
class LocalDatabaseRolesTest {

    private static final Path SCRIPT = repository().resolve(DatabaseRoles.SCRIPT);

    @TempDir
    Path folder;

    @Test
    void aNewDatabaseGetsTheRolesAndKeepsThemAcrossStarts() throws Exception {
        Path data = folder.resolve("postgres");
        int port = freePort();
        List<String> notes = new ArrayList<>();
        try (EmbeddedDatabase server = start(data, port)) {
            Map<Service, Map<String, String>> logins = DatabaseRoles.setUp(superuser(port, server), SCRIPT, notes::add);

            assertThat(logins.get(Service.PAYMENT)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "QUARKUS_DATASOURCE_USERNAME", "lunas_payments", "QUARKUS_DATASOURCE_PASSWORD", "lunas_payments",
                    "QUARKUS_FLYWAY_USERNAME", "lunas_payments_owner", "QUARKUS_FLYWAY_PASSWORD", "lunas_payments_owner"));
            assertThat(logins).containsOnlyKeys(Service.values());
            assertThat(query(port, "select string_agg(rolname, ',' order by rolname) from pg_roles where rolname like 'lunas%'"))
                    .isEqualTo(String.join(",", DatabaseRoles.all().stream().sorted().toList()));
            assertThat(query(port, "select nspowner::regrole::text from pg_namespace where nspname = 'notifications'"))
                    .isEqualTo("lunas_notifications_owner");
        }
        try (EmbeddedDatabase server = start(data, port)) {
            assertThat(DatabaseRoles.setUp(superuser(port, server), SCRIPT, notes::add)).containsOnlyKeys(Service.values());
        }
        assertThat(notes).isEmpty();
    }

    @Test
    void aDatabaseFromBeforeTheRolesKeepsTheSuperuserAndSaysSo() throws Exception {
        int port = freePort();
        List<String> notes = new ArrayList<>();
        try (EmbeddedDatabase server = start(folder.resolve("postgres"), port)) {
            try (Connection connection = superuser(port, server).connect(); Statement sql = connection.createStatement()) {
                sql.execute("create schema orders");
            }

            assertThat(DatabaseRoles.setUp(superuser(port, server), SCRIPT, notes::add)).isEmpty();
            assertThat(query(port, "select count(*) from pg_roles where rolname like 'lunas%'")).isEqualTo("0");
        }
        assertThat(notes).singleElement().asString().contains("predates the database roles", "superuser");
    }

    private static EmbeddedDatabase start(Path data, int port) {
        return EmbeddedDatabase.start(data, port, RunPlan.DATABASE, data.resolveSibling("postgres.log"));
    }

    private static Database superuser(int port, EmbeddedDatabase server) {
        return new Database("jdbc:postgresql://localhost:" + port + "/" + RunPlan.DATABASE, RunPlan.DATABASE_USER,
                RunPlan.DATABASE_PASSWORD, Optional.ofNullable(server));
    }

    private static String query(int port, String select) throws SQLException {
        try (Connection connection = superuser(port, null).connect(); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery(select)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
