package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.CapturedMessages.Email;
import dev.lunas.systemtest.harness.PrivateCluster;
import dev.lunas.systemtest.harness.SystemSettings;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The backup drill of docs/backup-and-recovery.md, on a PostgreSQL whose major version matches this machine's
 * pg_dump (a {@link PrivateCluster} from the distribution's packages): the packaged services, logged in as
 * production's roles, make orders in every state with their payments and deliveries; they stop; deploy/db/backup
 * dumps the database; deploy/db/restore refuses to overwrite it; the database is dropped; deploy/db/restore brings
 * it back. Then every table holds the same rows as before (counted, and compared row by row through a hash), every
 * order has its status, the database keeps its own rights (PUBLIC may not connect), and the services start on the
 * restored database and take a checkout, a Midtrans notification and send the mail.
 */
@Order(0)
class BackupRestoreDrillTest {

    private static final String DATABASE = "lunas";
    private static final String PACKAGE = "ai-movie-course";
    private static final Pattern REPORTED_ROWS = Pattern.compile("(?m) lunas-restore rows (\\S+) (\\d+)$");

    private static PrivateCluster cluster;
    private static SystemUnderTest system;
    private static Path work;

    @BeforeAll
    static void theSystemOnAPrivateCluster() {
        SystemSettings.Builder settings = SystemSettings.fromSystemProperties();
        work = settings.workDirectory().resolve("backup-drill-" + Instant.now().toEpochMilli());
        cluster = PrivateCluster.create(work.resolve("postgres"), Map.of("max_connections", "200", "fsync", "off"));
        cluster.createDatabase(DATABASE);
        system = SystemUnderTest.start(settings.database(cluster.database(DATABASE)).build());
    }

    @AfterAll
    static void stop() {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    void aDroppedDatabaseIsRestoredFromItsBackupWithEveryOrderAndTheServicesWorkOnIt() throws Exception {
        assertThat(system.runsAsRoles()).as("the services log in as production's roles").isTrue();

        // orders in every state, with their payments and deliveries
        CheckoutLedger ledger = new CheckoutLedger(system);
        Map<String, UUID> orders = new TreeMap<>();
        Map<String, Outcome> outcomes = Map.of("PAID", Outcome.SETTLEMENT, "FAILED", Outcome.DENY,
                "EXPIRED", Outcome.EXPIRE, "PENDING_PAYMENT", Outcome.PENDING);
        outcomes.forEach((status, outcome) -> {
            CheckoutLedger.Entry checkout = ledger.checkout(PACKAGE);
            assertThat(checkout.status()).as("checkout %s", checkout.answer()).isEqualTo(201);
            system.simulator().decide(checkout.orderId().toString(), outcome);
            orders.put(status, checkout.orderId());
        });
        orders.forEach((status, orderId) -> Eventually.soon("order " + status).until(
                () -> system.storefront().order(orderId.toString()).json().path("status").asText(), status::equals));
        Ledgers.exactlyOnce(system, ledger, "the orders before the backup");
        // payment-service away: the checkout keeps its order, CREATED, for the client to retry
        system.stop(Service.PAYMENT);
        CheckoutLedger.Entry created = new CheckoutLedger(system).checkout(PACKAGE);
        assertThat(created.orderId()).as("checkout without payment-service %s", created.answer()).isNotNull();
        assertThat(system.storefront().order(created.orderId().toString()).json().path("status").asText()).isEqualTo("CREATED");
        orders.put("CREATED", created.orderId());
        Eventually.soon("every outbox event relayed, every delivery finished").until(BackupRestoreDrillTest::unfinished,
                count -> count == 0);
        system.stop(Service.NOTIFICATION);
        system.stop(Service.ORDER);
        system.stop(Service.PAYMENT);

        Contents before = Contents.of(DATABASE);
        assertThat(before.statuses()).as("an order in every state").containsValues("CREATED", "PENDING_PAYMENT", "PAID",
                "FAILED", "EXPIRED");
        orders.forEach((status, orderId) -> assertThat(before.statuses()).containsEntry(orderId.toString(), status));
        assertThat(before.rows()).as("payments and deliveries").containsKeys("payments.payment_attempt", "notifications.delivery");
        assertThat(before.rows().get("payments.payment_attempt")).isPositive();
        assertThat(before.rows().get("notifications.delivery")).isPositive();

        // the backup
        Path backups = work.resolve("backups");
        PrivateCluster.Run backup = cluster.client(List.of(script("backup"), "--dir", backups.toString()), DATABASE, Map.of())
                .orThrow();
        assertThat(backup.output()).contains("lunas-backup ok file=" + backups);
        Path dump = onlyDump(backups);
        assertThat(dump.getFileName().toString()).matches("lunas-\\d{8}T\\d{6}Z\\.dump");
        assertThat(Files.readString(backups.resolve(dump.getFileName() + ".sha256")))
                .isEqualTo(sha256(dump) + "  " + dump.getFileName() + "\n");

        // a database that holds data is not overwritten without --force
        PrivateCluster.Run refused = cluster.client(List.of(script("restore"), dump.toString(), DATABASE), "postgres", Map.of());
        assertThat(refused.exitCode()).as("restore over the live database: %s", refused).isEqualTo(2);
        assertThat(refused.errors()).contains("lunas-restore REFUSED: database lunas is not empty", "--force");
        assertThat(Contents.of(DATABASE)).as("the database after the refusal").isEqualTo(before);

        // the database is lost
        try (Connection connection = cluster.connect("postgres"); Statement sql = connection.createStatement()) {
            sql.execute("drop database " + DATABASE);
        }
        assertThat(databaseExists(DATABASE)).isFalse();

        // ...and restored
        PrivateCluster.Run restore = cluster.client(List.of(script("restore"), dump.toString(), DATABASE), "postgres", Map.of())
                .orThrow();
        Contents after = Contents.of(DATABASE);
        assertThat(after.rows()).as("rows per table").isEqualTo(before.rows());
        assertThat(after.statuses()).as("every order's status").isEqualTo(before.statuses());
        assertThat(after.hashes()).as("every row of every table").isEqualTo(before.hashes());
        assertThat(after.databaseAcl()).as("the database's own rights").isEqualTo(before.databaseAcl()).isNotNull().doesNotContainPattern("[{,]=");
        assertThat(databaseExists(DATABASE + "_restoring")).as("the restore's working copy is gone").isFalse();
        Map<String, Long> reported = new TreeMap<>();
        Matcher line = REPORTED_ROWS.matcher(restore.output());
        while (line.find()) {
            reported.put(line.group(1), Long.parseLong(line.group(2)));
        }
        assertThat(reported).as("the rows restore reports").isEqualTo(before.rows());
        assertThat(restore.output()).contains("lunas-restore ok database=lunas");

        // the services on the restored database: the old orders, a new checkout, a notification, a mail
        system.ensureRunning();
        orders.forEach((status, orderId) -> assertThat(system.storefront().order(orderId.toString()).json()
                .path("status").asText()).as("order %s after the restore", orderId).isEqualTo(status));
        CheckoutLedger afterRestore = new CheckoutLedger(system);
        CheckoutLedger.Entry checkout = afterRestore.checkout(PACKAGE);
        assertThat(checkout.status()).as("checkout on the restored database %s", checkout.answer()).isEqualTo(201);
        assertThat(checkout.answer().json().path("status").asText()).isEqualTo("PENDING_PAYMENT");
        system.simulator().decide(checkout.orderId().toString(), Outcome.SETTLEMENT);
        Eventually.soon("the new order PAID").until(
                () -> system.storefront().order(checkout.orderId().toString()).json().path("status").asText(), "PAID"::equals);
        List<Email> mails = Eventually.soon("the success mail").until(
                () -> system.messages().emailsTo(checkout.customer().email()), found -> found.size() == 2);
        assertThat(mails).extracting(mail -> mail.template().orElseThrow()).containsExactly("payment-instructions", "payment-success");
        Ledgers.exactlyOnce(system, afterRestore, "a checkout on the restored database");
    }

    /**
     * What a database holds: the rows of every table (counted, and hashed over their text in a fixed order), the
     * status of every order, and the database's access rights.
     */
    record Contents(Map<String, Long> rows, Map<String, String> hashes, Map<String, String> statuses, String databaseAcl) {

        static Contents of(String database) throws SQLException {
            Map<String, Long> rows = new TreeMap<>();
            Map<String, String> hashes = new TreeMap<>();
            Map<String, String> statuses = new TreeMap<>();
            String acl;
            try (Connection connection = cluster.connect(database); Statement sql = connection.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet found = sql.executeQuery("select format('%I.%I', n.nspname, c.relname) from pg_class c"
                        + " join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r'"
                        + " and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'")) {
                    while (found.next()) {
                        tables.add(found.getString(1));
                    }
                }
                for (String table : tables) {
                    try (ResultSet counted = sql.executeQuery("select count(*), coalesce(md5(string_agg(t::text, E'\\n'"
                            + " order by t::text)), '') from " + table + " t")) {
                        counted.next();
                        rows.put(table, counted.getLong(1));
                        hashes.put(table, counted.getString(2));
                    }
                }
                try (ResultSet found = sql.executeQuery("select id, status from orders.customer_order")) {
                    while (found.next()) {
                        statuses.put(found.getString(1), found.getString(2));
                    }
                }
                try (ResultSet found = sql.executeQuery("select datacl::text from pg_database where datname = current_database()")) {
                    found.next();
                    acl = found.getString(1);
                }
            }
            return new Contents(rows, hashes, statuses, acl);
        }
    }

    /** Outbox events not yet relayed and deliveries not yet finished. */
    private static long unfinished() throws SQLException {
        try (Connection connection = cluster.connect(DATABASE); Statement sql = connection.createStatement()) {
            List<String> outboxes = new ArrayList<>();
            try (ResultSet found = sql.executeQuery("select format('%I.%I', table_schema, table_name)"
                    + " from information_schema.tables where table_name = 'outbox'")) {
                while (found.next()) {
                    outboxes.add(found.getString(1));
                }
            }
            assertThat(outboxes).isNotEmpty();
            StringBuilder query = new StringBuilder("select (select count(*) from notifications.delivery"
                    + " where status in ('PENDING', 'SENDING', 'RETRY'))");
            outboxes.forEach(outbox -> query.append(" + (select count(*) from ").append(outbox).append(" where status = 'PENDING')"));
            try (ResultSet counted = sql.executeQuery(query.toString())) {
                counted.next();
                return counted.getLong(1);
            }
        }
    }

    private static String script(String name) {
        return system.repository().resolve("deploy/db").resolve(name).toString();
    }

    private static Path onlyDump(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> dumps = files.filter(file -> file.getFileName().toString().endsWith(".dump")).toList();
            assertThat(dumps).as("dumps in %s", folder).hasSize(1);
            return dumps.get(0);
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static boolean databaseExists(String name) throws SQLException {
        try (Connection connection = cluster.connect("postgres"); Statement sql = connection.createStatement();
             ResultSet found = sql.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
            return found.next();
        }
    }
}
