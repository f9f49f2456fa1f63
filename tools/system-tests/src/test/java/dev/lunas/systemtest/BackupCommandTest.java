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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * deploy/db/backup and deploy/db/restore on their own, against a {@link PrivateCluster} with a small database: the
 * retention rule, a failure's exit status and log line, and what restore refuses (a damaged or unverifiable dump)
 * or does on request (--force, a database that does not exist yet).
 */
@Order(0)
class BackupCommandTest {

    private static final String DATABASE = "shop";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static PrivateCluster cluster;
    private static Path work;
    private static Path repository;

    @BeforeAll
    static void aClusterWithADatabase() throws SQLException {
        SystemSettings.Builder settings = SystemSettings.fromSystemProperties();
        repository = settings.repository();
        work = settings.workDirectory().resolve("backup-command-" + Instant.now().toEpochMilli());
        cluster = PrivateCluster.create(work.resolve("postgres"), Map.of("fsync", "off"));
        cluster.createDatabase(DATABASE);
        execute(DATABASE, "create schema shop; create table shop.item (id int primary key, name text not null);"
                + " insert into shop.item select i, 'item ' || i from generate_series(1, 25) i");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Monday 2020-01-06 starts a week. Daily: the new dump's day and the six newest other days with a dump (13th to
     * 8th). Weekly: the newest dump of each of the four newest weeks with one: today's, the 13th's, the 12th (week of
     * the 6th) and the 1st (week of 30 December). Everything else goes, with its checksum; other files stay.
     */
    @Test
    void retentionKeepsTheNewestDumpOfSevenDaysAndOfFourWeeks() throws Exception {
        Path folder = work.resolve("retention");
        Files.createDirectories(folder);
        List<String> old = List.of("20191211T010000Z", "20191218T010000Z", "20191225T010000Z", "20200101T010000Z",
                "20200106T010000Z", "20200106T020000Z", "20200107T010000Z", "20200108T010000Z", "20200109T010000Z",
                "20200110T010000Z", "20200111T010000Z", "20200112T010000Z", "20200113T010000Z");
        for (String stamp : old) {
            Files.writeString(folder.resolve(DATABASE + "-" + stamp + ".dump"), "an old dump");
            Files.writeString(folder.resolve(DATABASE + "-" + stamp + ".dump.sha256"), "its checksum");
        }
        Files.writeString(folder.resolve("other-20100101T000000Z.dump"), "another database's dump");
        Files.writeString(folder.resolve("notes.txt"), "not a dump");

        PrivateCluster.Run backup = backup(folder, Map.of()).orThrow();

        Set<String> kept = Set.of("20200101T010000Z", "20200108T010000Z", "20200109T010000Z", "20200110T010000Z",
                "20200111T010000Z", "20200112T010000Z", "20200113T010000Z");
        Set<String> expected = new TreeSet<>(Set.of("other-20100101T000000Z.dump", "notes.txt"));
        kept.forEach(stamp -> expected.addAll(Set.of(DATABASE + "-" + stamp + ".dump", DATABASE + "-" + stamp + ".dump.sha256")));
        String fresh = newest(folder);
        expected.addAll(Set.of(fresh, fresh + ".sha256"));
        assertThat(files(folder)).isEqualTo(expected);
        assertThat(backup.output()).contains("kept=8 pruned=6");

        // the same rule, configured: one day and one week keep only the new dump (named by a second of its own)
        String second = fresh.substring(DATABASE.length() + 1, fresh.length() - ".dump".length());
        Eventually.soon("the clock past " + second).until(() -> STAMP.format(Instant.now()), now -> now.compareTo(second) > 0);
        backup(folder, Map.of("LUNAS_BACKUP_KEEP_DAILY", "1", "LUNAS_BACKUP_KEEP_WEEKLY", "1")).orThrow();
        String newer = newest(folder);
        assertThat(files(folder)).containsExactlyInAnyOrder(newer, newer + ".sha256", "other-20100101T000000Z.dump", "notes.txt");
    }

    @Test
    void aBackupThatCannotReachTheServerFailsWithItsReasonAndLeavesNothingBehind() throws Exception {
        Path folder = work.resolve("unreachable");
        PrivateCluster.Run failed = backup(folder, Map.of("PGPORT", "1"));

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.output()).isEmpty();
        assertThat(failed.errors()).contains("lunas-backup FAILED: cannot connect to database shop", "PGPORT=1");
        assertThat(files(folder)).isEmpty();
    }

    @Test
    void restoreRefusesADamagedOrUnverifiableDumpAndTouchesNothing() throws Exception {
        Path folder = work.resolve("damaged");
        backup(folder, Map.of()).orThrow();
        Path dump = folder.resolve(newest(folder));
        byte[] bytes = Files.readAllBytes(dump);
        bytes[bytes.length / 2] ^= 1;
        Files.write(dump, bytes);

        PrivateCluster.Run damaged = restore(dump, "shop_copy", false);
        assertThat(damaged.exitCode()).isEqualTo(1);
        assertThat(damaged.errors()).contains("does not match its checksum");

        Files.delete(folder.resolve(dump.getFileName() + ".sha256"));
        PrivateCluster.Run unverifiable = restore(dump, "shop_copy", false);
        assertThat(unverifiable.exitCode()).isEqualTo(1);
        assertThat(unverifiable.errors()).contains("no checksum at");
        assertThat(databases()).doesNotContain("shop_copy", "shop_copy_restoring");
    }

    @Test
    void restoreCreatesANamedDatabaseAndReplacesAFullOneOnlyWithForce() throws Exception {
        Path folder = work.resolve("force");
        backup(folder, Map.of()).orThrow();
        Path dump = folder.resolve(newest(folder));

        PrivateCluster.Run created = restore(dump, "shop_restored", false).orThrow();
        assertThat(created.output()).contains("lunas-restore rows shop.item 25", "lunas-restore ok database=shop_restored");
        assertThat(count("shop_restored")).isEqualTo(25);

        execute("shop_restored", "delete from shop.item where id > 5");
        PrivateCluster.Run refused = restore(dump, "shop_restored", false);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errors()).contains("database shop_restored is not empty (schema shop)");
        assertThat(count("shop_restored")).as("untouched after the refusal").isEqualTo(5);

        PrivateCluster.Run replaced = restore(dump, "shop_restored", true).orThrow();
        assertThat(replaced.output()).contains("replacing database shop_restored (--force)", "lunas-restore rows shop.item 25");
        assertThat(count("shop_restored")).isEqualTo(25);
        assertThat(databases()).doesNotContain("shop_restored_restoring");
    }

    private static PrivateCluster.Run backup(Path folder, Map<String, String> environment) {
        return cluster.client(List.of(repository.resolve("deploy/db/backup").toString(), "--dir", folder.toString()),
                DATABASE, environment);
    }

    private static PrivateCluster.Run restore(Path dump, String database, boolean force) {
        List<String> command = force
                ? List.of(repository.resolve("deploy/db/restore").toString(), "--force", dump.toString(), database)
                : List.of(repository.resolve("deploy/db/restore").toString(), dump.toString(), database);
        return cluster.client(command, "postgres", Map.of());
    }

    private static String newest(Path folder) throws Exception {
        return files(folder).stream().filter(name -> name.matches(DATABASE + "-\\d{8}T\\d{6}Z\\.dump")).max(String::compareTo)
                .orElseThrow();
    }

    private static Set<String> files(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static long count(String database) throws SQLException {
        try (Connection connection = cluster.connect(database); Statement sql = connection.createStatement();
             ResultSet counted = sql.executeQuery("select count(*) from shop.item")) {
            counted.next();
            return counted.getLong(1);
        }
    }

    private static List<String> databases() throws SQLException {
        try (Connection connection = cluster.connect("postgres"); Statement sql = connection.createStatement();
             ResultSet found = sql.executeQuery("select datname from pg_database")) {
            List<String> names = new ArrayList<>();
            while (found.next()) {
                names.add(found.getString(1));
            }
            return names;
        }
    }

    private static void execute(String database, String statements) throws SQLException {
        try (Connection connection = cluster.connect(database); Statement sql = connection.createStatement()) {
            sql.execute(statements);
        }
    }
}
