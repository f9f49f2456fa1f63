package dev.lunas.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @TempDir
    Path folder;

    @Test
    void keepsItsDataAcrossRestarts() throws Exception {
        Path data = folder.resolve("postgres");
        int port = freePort();

        try (EmbeddedDatabase database = EmbeddedDatabase.start(data, port, "lunas", folder.resolve("postgres.log"))) {
            execute(port, "create table kept (note text)", "insert into kept values ('survives a restart')");
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.start(data, port, "lunas", folder.resolve("postgres.log"))) {
            assertThat(query(port, "select note from kept")).isEqualTo("survives a restart");
        }
    }

    @Test
    void stopsAPostgresLeftRunningByAKilledLauncher() throws Exception {
        Path data = folder.resolve("postgres");
        Path log = folder.resolve("postgres.log");
        int port = freePort();
        Path ready = folder.resolve("ready");
        Process launcher = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                StartDatabaseAndWait.class.getName(), data.toString(), String.valueOf(port), log.toString(), ready.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("launcher.out").toFile()).start();
        Optional<Long> leftover;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ready) || !launcher.isAlive());
            assertThat(launcher.isAlive()).as("the stand-in launcher started PostgreSQL: %s",
                    Files.exists(folder.resolve("launcher.out")) ? Files.readString(folder.resolve("launcher.out")) : "").isTrue();
            execute(port, "create table kept (note text)", "insert into kept values ('written before the kill')");

            launcher.destroyForcibly().waitFor();
            long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).hasValue(true);

            leftover = EmbeddedDatabase.stopLeftover(data);

            assertThat(leftover).hasValue(postmaster);
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        } finally {
            launcher.destroyForcibly();
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.start(data, port, "lunas", log)) {
            assertThat(query(port, "select note from kept")).isEqualTo("written before the kill");
        }
        assertThat(EmbeddedDatabase.stopLeftover(data)).isEmpty();
    }

    @Test
    void takesFurtherServerSettingsSuchAsStatementStatistics() throws Exception {
        int port = freePort();
        try (EmbeddedDatabase database = EmbeddedDatabase.start(folder.resolve("postgres"), port, "lunas", folder.resolve("postgres.log"), EmbeddedDatabase.Durability.DURABLE,
                Map.of("shared_preload_libraries", "pg_stat_statements", "max_connections", "50"))) {
            execute(port, "create extension pg_stat_statements");
            assertThat(query(port, "show max_connections")).isEqualTo("50");
            assertThat(query(port, "show synchronous_commit")).isEqualTo("on");
            assertThat(query(port, "show fsync")).as("committed data survives a crash of the machine").isEqualTo("on");
            assertThat(query(port, "select count(*) >= 0 from pg_stat_statements")).isEqualTo("t");
        }
    }

    /** A launcher stand-in for the test above: starts the database, signals readiness, and waits to be killed. */
    public static final class StartDatabaseAndWait {
        public static void main(String[] args) throws Exception {
            EmbeddedDatabase.start(Path.of(args[0]), Integer.parseInt(args[1]), "lunas", Path.of(args[2]));
            Files.createFile(Path.of(args[3]));
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void execute(int port, String... statements) throws SQLException {
        try (Connection connection = connect(port); Statement sql = connection.createStatement()) {
            for (String statement : List.of(statements)) {
                sql.execute(statement);
            }
        }
    }

    private static String query(int port, String select) throws SQLException {
        try (Connection connection = connect(port); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery(select)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/lunas", "postgres", "postgres");
    }
}
