package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.systemtest.harness.PrivateCluster;
import dev.lunas.systemtest.harness.SystemSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The point-in-time recovery drill of docs/backup-and-recovery.md, step by step, on a {@link PrivateCluster}: WAL
 * archiving on (archive_command copies each finished segment into an archive folder, never over a file there), a
 * base backup with pg_basebackup, then row A, the time (the server's clock), row B. A copy of the base backup,
 * recovered with restore_command, recovery_target_time and recovery_target_action = promote, has A and not B; the
 * original has both.
 */
@Order(0)
class PointInTimeRecoveryDrillTest {

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void aCopyRecoveredToATimeBetweenTwoWritesHasTheFirstAndNotTheSecond() throws Exception {
        Path work = SystemSettings.fromSystemProperties().workDirectory().resolve("pitr-drill-" + Instant.now().toEpochMilli());
        Path archive = work.resolve("wal-archive");
        Path base = work.resolve("base");
        Files.createDirectories(archive);
        opened.add(() -> PrivateCluster.deleteRecursively(base));

        // 1. archiving on (the guide's postgresql.conf lines)
        PrivateCluster primary = PrivateCluster.create(work.resolve("primary"), Map.of(
                "wal_level", "replica",
                "archive_mode", "on",
                "archive_command", "test ! -f " + archive + "/%f && cp %p " + archive + "/%f"));
        opened.add(primary);
        primary.createDatabase("lunas");
        execute(primary, "create table drill (name text primary key, written_at timestamptz not null default clock_timestamp())");

        // 2. the base backup
        primary.client(List.of(primary.tool("pg_basebackup").toString(), "--pgdata=" + base, "--checkpoint=fast",
                "--wal-method=stream"), "postgres", Map.of()).orThrow();

        // 3. row A, the time, row B (strictly later on the server's clock), then the segment holding B archived
        execute(primary, "insert into drill (name) values ('A')");
        String target = query(primary, "select clock_timestamp()::text");
        Eventually.soon("the server's clock past " + target).until(
                () -> query(primary, "select clock_timestamp() > '" + target + "'::timestamptz"), "t"::equals);
        execute(primary, "insert into drill (name) values ('B')");
        String segment = query(primary, "select pg_walfile_name(pg_switch_wal())");
        Eventually.soon("WAL segment " + segment + " archived").until(
                () -> query(primary, "select coalesce(last_archived_wal, '') from pg_stat_archiver"),
                archived -> archived.compareTo(segment) >= 0);
        assertThat(archive.resolve(segment)).isRegularFile();
        assertThat(names(primary)).containsExactly("A", "B");

        // 4. recover a copy of the base backup to the time between A and B
        Path recoveredData = work.resolve("recovered").resolve("data");
        Files.createDirectories(recoveredData.getParent());
        primary.client(List.of("cp", "-a", base + "/.", recoveredData.toString()), "postgres", Map.of()).orThrow();
        Files.createFile(recoveredData.resolve("recovery.signal"));
        PrivateCluster recovered = PrivateCluster.open(recoveredData, work.resolve("recovered").resolve("postgres.log"), Map.of(
                "restore_command", "cp " + archive + "/%f %p",
                "recovery_target_time", target,
                "recovery_target_action", "promote",
                "archive_mode", "off"));
        opened.add(recovered);
        Eventually.soon("recovery ended and the copy promoted").until(() -> query(recovered, "select pg_is_in_recovery()"),
                "f"::equals);

        assertThat(names(recovered)).as("rows of the copy recovered to %s", target).containsExactly("A");
        assertThat(Files.readString(recovered.logFile())).contains("recovery stopping before commit of transaction",
                "archive recovery complete");
        execute(recovered, "insert into drill (name) values ('C')");
        assertThat(names(recovered)).as("the promoted copy takes writes").containsExactly("A", "C");
        assertThat(names(primary)).as("the original").containsExactly("A", "B");
    }

    private static List<String> names(PrivateCluster cluster) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = cluster.connect("lunas"); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("select name from drill order by name")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static void execute(PrivateCluster cluster, String statement) throws SQLException {
        try (Connection connection = cluster.connect("lunas"); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static String query(PrivateCluster cluster, String query) throws SQLException {
        try (Connection connection = cluster.connect("lunas"); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getString(1);
        }
    }
}
