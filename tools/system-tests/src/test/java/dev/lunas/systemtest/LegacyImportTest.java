package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.run.Database;
import dev.lunas.launcher.run.DatabaseRoles;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.HttpAnswer;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: the legacy import (docs/legacy-import.md). {@code ./lunas import-legacy} runs as an operator runs it, as
 * a process, logged in as order-service's runtime role, against the running system's database, on an
 * {@code orders.db} generated here with good, duplicate and broken rows. What it wrote is read back from the
 * database and through order-service's own API: the paid customer's course access with the course platform's token,
 * the unpaid order closed on the status page.
 */
@Order(6)
@ExtendWith(SharedSystem.class)
class LegacyImportTest {

    private static final Pattern LINE = Pattern.compile("^ {2}(imported|skipped|refused) +(\\S+) +(.*)$");
    private static final Duration RUN_BOUND = Duration.ofMinutes(2);
    private static final String PACKAGE = "ai-movie-course";
    private static final long PRICE = 99000;
    private static final String CREATED = "2024-03-01 08:30:00";

    private final String tag = Integer.toHexString(0x100000 + new SecureRandom().nextInt(0xE00000));

    @Test
    void paidAndUnpaidOrdersAreImportedOnceAndBrokenRowsAreReported(SystemUnderTest system, @TempDir Path dir)
            throws Exception {
        Contact paid = contact("siti", 1);
        Contact unpaid = contact("agus", 2);
        Contact failed = contact("dewi", 3);
        Contact later = contact("rina", 4);
        List<Object[]> rows = new ArrayList<>(List.of(
                row(1001, "Siti Rahayu", paid.typedEmail(), paid.typedPhone(), PRICE, "paid", CREATED),
                row(1002, "Agus Wijaya", unpaid.typedEmail(), unpaid.typedPhone(), PRICE, "pending", CREATED),
                row(1003, "Dewi Lestari", failed.typedEmail(), failed.typedPhone(), PRICE, "cancelled", CREATED),
                row(1004, "Bad Email", "siti(at)contoh.co.id", "081311112222", PRICE, "paid", CREATED),
                row(1005, "Bad Phone", "bad.phone." + tag + "@contoh.co.id", "021-555-1234", PRICE, "paid", CREATED),
                row(1006, "Bad Amount", "bad.amount." + tag + "@contoh.co.id", "081311113333", 99000.5, "paid", CREATED),
                row(1007, "Zero Amount", "zero." + tag + "@contoh.co.id", "081311114444", 0, "paid", CREATED),
                row(1008, "Refunded", "refunded." + tag + "@contoh.co.id", "081311115555", PRICE, "refunded", CREATED),
                row(1009, "Promo Price", "promo." + tag + "@contoh.co.id", "081311116666", 50000, "paid", CREATED),
                row(1010, "Twice A", "twice.a." + tag + "@contoh.co.id", "081311117777", PRICE, "paid", CREATED),
                row(1010, "Twice B", "twice.b." + tag + "@contoh.co.id", "081311118888", PRICE, "paid", CREATED),
                row(1012, "Bad Date", "bad.date." + tag + "@contoh.co.id", "081311119999", PRICE, "paid", "kemarin sore")));
        Path first = ordersDb(dir.resolve("orders.db"), rows);
        Map<String, String> expectedRefusals = Map.of(
                "1004", "email: not a valid address",
                "1005", "phone: not an Indonesian mobile number",
                "1006", "amount: not a whole number of rupiah",
                "1007", "amount: must be at least 1 rupiah",
                "1008", "status: unknown 'refunded'",
                "1009", "amount: 50000 is the price of no package",
                "1010", "id: appears 2 times in the file",
                "1012", "created_at: not a date and time");
        Counts before = counts(system);

        Run dryRun = importLegacy(system, "--db", first.toString(), "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isEqualTo(3);
        assertThat(dryRun.labels("imported")).containsExactly("1001", "1002", "1003");
        assertRefusals(dryRun, expectedRefusals);
        assertThat(dryRun.stdout()).contains("Summary: 3 imported, 0 skipped (already imported), 9 refused (dry run: nothing was written)");
        assertThat(counts(system)).as("after the dry run").isEqualTo(before);

        Run real = importLegacy(system, "--db", first.toString());
        assertThat(real.exitCode()).as(real.toString()).isEqualTo(3);
        assertThat(real.labels("imported")).containsExactly("1001", "1002", "1003");
        assertRefusals(real, expectedRefusals);
        assertThat(real.stdout()).contains("Summary: 3 imported, 0 skipped (already imported), 9 refused");
        assertNoContactData(real, paid, unpaid, failed);
        assertThat(counts(system)).isEqualTo(before.plus(3, 1));

        UUID paidOrder = orderOf(system, 1001);
        UUID unpaidOrder = orderOf(system, 1002);
        UUID failedOrder = orderOf(system, 1003);
        try (Connection db = system.connect()) {
            assertThat(query(db, "select status, amount, price, discount_amount, customer_email, customer_phone, customer_name,"
                    + " paid_at = created_at, created_at = timestamptz '2024-03-01 08:30:00+00', closed_reason is null"
                    + " from orders.customer_order where id = ?", paidOrder))
                    .containsExactly("PAID", "99000", "99000", "0", paid.email(), paid.phone(), "Siti Rahayu", "t", "t", "t");
            assertThat(query(db, "select status, closed_reason, paid_at is null, closed_at is not null, payment_token is null"
                    + " from orders.customer_order where id = ?", unpaidOrder))
                    .containsExactly("EXPIRED", "PAYMENT_WINDOW_LAPSED", "t", "t", "t");
            assertThat(query(db, "select status, closed_reason from orders.customer_order where id = ?", failedOrder))
                    .containsExactly("FAILED", "PAYMENT_FAILED");
            assertThat(query(db, "select actor, action, old_value is null, new_value, reason from orders.audit_log"
                    + " where order_id = ?", paidOrder))
                    .containsExactly("system:legacy-import", "status", "t", "PAID",
                            "imported from the old shop: order 1001 (paid), access granted, nothing sent");
            assertThat(query(db, "select status, email, package_id, access_url from orders.entitlement where order_id = ?", paidOrder))
                    .containsExactly("ACTIVE", paid.email(), PACKAGE, SystemUnderTest.COURSE_ACCESS_URL);
            assertThat(query(db, "select count(*) from orders.entitlement where order_id in (?, ?)", unpaidOrder, failedOrder))
                    .containsExactly("0");
            // nothing for notification-service to send, nothing for payment-service to ask Midtrans about
            assertThat(query(db, "select count(*) from orders.outbox where aggregate_id in (?, ?, ?)",
                    paidOrder.toString(), unpaidOrder.toString(), failedOrder.toString())).containsExactly("0");
            assertThat(query(db, "select count(*) from payments.payment_attempt where order_id in (?, ?, ?)",
                    paidOrder, unpaidOrder, failedOrder)).containsExactly("0");
        }

        if (system.runsAsRoles()) {
            // what was imported stays imported: the role the import and order-service run as may not forget it
            try (Connection orders = system.connectAs(DatabaseRoles.runtime(Service.ORDER));
                 Statement sql = orders.createStatement()) {
                assertThatThrownBy(() -> sql.executeUpdate("delete from orders.legacy_import where legacy_order_id = 1001"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
        }

        // the course platform sees the paid customer's access; the storefront shows the unpaid order closed
        HttpAnswer access = system.storefront().entitlements(paid.email());
        assertThat(access.status()).as(access.body()).isEqualTo(200);
        assertThat(access.json()).hasSize(1);
        JsonNode entitlement = access.json().get(0);
        assertThat(entitlement.get("orderId").asText()).isEqualTo(paidOrder.toString());
        assertThat(entitlement.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(entitlement.get("packageId").asText()).isEqualTo(PACKAGE);
        assertThat(entitlement.get("accessUrl").asText()).isEqualTo(SystemUnderTest.COURSE_ACCESS_URL);
        assertThat(system.storefront().entitlements(unpaid.email()).json()).isEmpty();
        JsonNode closed = system.storefront().order(unpaidOrder.toString()).json();
        assertThat(closed.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(closed.get("closedReason").asText()).isEqualTo("PAYMENT_WINDOW_LAPSED");
        assertThat(closed.get("payment").isNull()).isTrue();
        assertThat(system.storefront().pay(unpaidOrder.toString()).status()).as("pay again on an imported closed order")
                .isEqualTo(409);

        // Again, with the old shop's file grown by one order, one row changed since (the pending order paid after all)
        // and every row named as the package: nothing already imported is imported twice, the changed row goes to a
        // person, the promotion's lower price is kept as a discount.
        rows.set(1, row(1002, "Agus Wijaya", unpaid.typedEmail(), unpaid.typedPhone(), PRICE, "paid", CREATED));
        rows.add(row(1011, "Rina Kartika", later.typedEmail(), later.typedPhone(), PRICE, "settlement", "2024-04-02T10:00:00Z"));
        Path second = ordersDb(dir.resolve("orders-later.db"), rows);
        Counts afterFirst = counts(system);
        Run again = importLegacy(system, "--db", second.toString(), "--package", PACKAGE);
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        assertThat(again.labels("imported")).containsExactly("1009", "1011");
        assertThat(again.labels("skipped")).containsExactly("1001", "1003");
        assertThat(again.reason("1002")).startsWith("already imported as order " + unpaidOrder + ", and the row has changed");
        assertThat(again.stdout()).contains("Summary: 2 imported, 2 skipped (already imported), 9 refused");
        assertThat(counts(system)).isEqualTo(afterFirst.plus(2, 2));
        try (Connection db = system.connect()) {
            assertThat(query(db, "select status from orders.customer_order where id = ?", unpaidOrder)).containsExactly("EXPIRED");
            assertThat(query(db, "select status, price, discount_amount, amount from orders.customer_order where id = ?",
                    orderOf(system, 1009))).containsExactly("PAID", "99000", "49000", "50000");
        }
        assertThat(system.storefront().entitlements(later.email()).json()).hasSize(1);
        assertThat(system.storefront().entitlements(paid.email()).json()).as("still one access, not two").hasSize(1);
    }

    @Test
    void aDatabaseFailureMidRunLeavesNothingBehind(SystemUnderTest system, @TempDir Path dir) throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Contact customer = contact("putri", 10 + i);
            rows.add(row(2000 + i, "Putri Maharani", customer.typedEmail(), customer.typedPhone(), PRICE,
                    i <= 3 ? "expired" : "paid", CREATED));
        }
        Path file = ordersDb(dir.resolve("orders.db"), rows);
        Counts before = counts(system);
        Run interrupted;
        try (Connection locker = system.connect(); Connection operator = system.connect()) {
            // the import writes every order first and takes its places on the package last: holding the package row
            // keeps it waiting there, its orders written and not committed, until its connection is cut
            locker.setAutoCommit(false);
            query(locker, "select reserved from orders.package where id = ? for update", PACKAGE);
            Process process = startImport(system, "--db", file.toString());
            // (polled from a connection of its own: pg_stat_activity is a snapshot for the rest of a transaction)
            Eventually.soon("the import waiting for the package row").until(() -> !query(operator,
                    "select pid from pg_stat_activity where application_name = 'lunas-legacy-import' and wait_event_type = 'Lock'")
                    .isEmpty());
            query(operator, "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'lunas-legacy-import'");
            interrupted = finish(process);
            locker.rollback();
        }
        assertThat(interrupted.exitCode()).as(interrupted.toString()).isEqualTo(1);
        assertThat(interrupted.stderr()).contains("The import failed and wrote nothing");
        assertThat(counts(system)).isEqualTo(before);
        try (Connection db = system.connect()) {
            assertThat(query(db, "select count(*) from orders.legacy_import where legacy_order_id between 2001 and 2005"))
                    .containsExactly("0");
        }

        Run retried = importLegacy(system, "--db", file.toString());
        assertThat(retried.exitCode()).as(retried.toString()).isZero();
        assertThat(retried.labels("imported")).containsExactly("2001", "2002", "2003", "2004", "2005");
        assertThat(counts(system)).isEqualTo(before.plus(5, 2));
    }

    @Test
    void withoutTheLunasDatabaseOrTheOldFileNothingRuns(SystemUnderTest system, @TempDir Path dir) throws Exception {
        Run noDatabase = finish(process(Map.of(), "--db", dir.resolve("orders.db").toString()));
        assertThat(noDatabase.exitCode()).as(noDatabase.toString()).isEqualTo(2);
        assertThat(noDatabase.stderr()).contains("QUARKUS_DATASOURCE_JDBC_URL or --jdbc-url");
        Run noFile = importLegacy(system, "--db", dir.resolve("missing.db").toString(), "--dry-run");
        assertThat(noFile.exitCode()).as(noFile.toString()).isEqualTo(1);
        assertThat(noFile.stderr()).contains("There is no readable file");
        assertThat(dir.resolve("missing.db")).doesNotExist();
    }

    // ---- the old shop's file ---------------------------------------------------------------------------------

    private static Object[] row(long id, String name, String email, String phone, Object amount, String status, String createdAt) {
        return new Object[] {id, name, email, phone, amount, status, createdAt};
    }

    /** An SQLite file as the old shop kept it: no declared types beyond SQLite's own, values as they were written. */
    private static Path ordersDb(Path file, List<Object[]> rows) throws SQLException {
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement ddl = sqlite.createStatement()) {
            ddl.execute("create table orders (id integer, customerName text, email text, phone text, amount, status text,"
                    + " created_at text)");
            try (PreparedStatement insert = sqlite.prepareStatement("insert into orders values (?, ?, ?, ?, ?, ?, ?)")) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        insert.setObject(i + 1, row[i]);
                    }
                    insert.executeUpdate();
                }
            }
        }
        return file;
    }

    /** A customer of the old shop, typed as they typed it, and as Lunas stores it. */
    private record Contact(String typedEmail, String typedPhone, String email, String phone) {
    }

    private Contact contact(String name, int n) {
        String local = name + ".lama." + n + "." + tag;
        String digits = String.format(Locale.ROOT, "%04d", Math.abs((tag + n).hashCode()) % 10_000);
        return new Contact(" " + name.toUpperCase(Locale.ROOT) + local.substring(name.length()) + "@Contoh.co.id ",
                "0857-" + String.format(Locale.ROOT, "%02d", n) + "00-" + digits,
                local + "@contoh.co.id", "+62857" + String.format(Locale.ROOT, "%02d", n) + "00" + digits);
    }

    // ---- running the command ---------------------------------------------------------------------------------

    private record Run(int exitCode, String stdout, String stderr) {

        List<String> labels(String kind) {
            return lines().stream().filter(m -> m.group(1).equals(kind)).map(m -> m.group(2)).toList();
        }

        String reason(String label) {
            return lines().stream().filter(m -> m.group(2).equals(label)).map(m -> m.group(3)).findFirst().orElse("");
        }

        private List<Matcher> lines() {
            return stdout.lines().map(LINE::matcher).filter(Matcher::matches).toList();
        }
    }

    private static void assertRefusals(Run run, Map<String, String> expected) {
        assertThat(run.labels("refused")).containsExactlyInAnyOrderElementsOf(
                expected.keySet().stream().flatMap(id -> id.equals("1010") ? List.of(id, id).stream() : List.of(id).stream())
                        .toList());
        expected.forEach((id, reason) -> assertThat(run.reason(id)).as("row %s", id).startsWith(reason));
    }

    private static void assertNoContactData(Run run, Contact... customers) {
        for (Contact customer : customers) {
            assertThat(run.stdout() + run.stderr()).doesNotContain(customer.email()).doesNotContain(customer.phone())
                    .doesNotContain(customer.phone().substring(3));
        }
    }

    private static Run importLegacy(SystemUnderTest system, String... args) throws Exception {
        return finish(startImport(system, args));
    }

    /** {@code ./lunas import-legacy --no-build …} with order-service's runtime role's settings, as in production. */
    private static Process startImport(SystemUnderTest system, String... args) throws IOException {
        Database database = system.database();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        String role = DatabaseRoles.runtime(Service.ORDER);
        if (system.runsAsRoles()) {
            env.put("QUARKUS_DATASOURCE_USERNAME", role);
            env.put("QUARKUS_DATASOURCE_PASSWORD", DatabaseRoles.localPassword(role));
        } else {
            env.put("QUARKUS_DATASOURCE_USERNAME", database.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        }
        env.put("COURSE_ACCESS_URL", SystemUnderTest.COURSE_ACCESS_URL);
        return process(env, args);
    }

    private static Process process(Map<String, String> env, String... args) throws IOException {
        Path repository = Path.of(System.getProperty("lunas.repository"));
        List<String> command = new ArrayList<>(List.of("bash", repository.resolve("lunas").toString(), "import-legacy",
                "--no-build"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.equals("COURSE_ACCESS_URL"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static Run finish(Process process) throws Exception {
        // read both streams while it runs, so a full pipe never stalls it
        var stdout = new java.util.concurrent.CompletableFuture<String>();
        var stderr = new java.util.concurrent.CompletableFuture<String>();
        new Thread(() -> stdout.complete(read(process.getInputStream())), "import-stdout").start();
        new Thread(() -> stderr.complete(read(process.getErrorStream())), "import-stderr").start();
        if (!process.waitFor(RUN_BOUND.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("./lunas import-legacy did not finish within " + RUN_BOUND);
        }
        return new Run(process.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    // ---- the database ----------------------------------------------------------------------------------------

    /**
     * Rows of the tables an import writes, the places paid orders take on the package, and every event or delivery
     * about an imported order (none, ever).
     */
    private record Counts(long orders, long audit, long entitlements, long legacy, long reserved, long outbox) {

        Counts plus(int imported, int paid) {
            return new Counts(orders + imported, audit + imported, entitlements + paid, legacy + imported, reserved + paid,
                    outbox);
        }
    }

    private static Counts counts(SystemUnderTest system) throws SQLException {
        try (Connection db = system.connect()) {
            List<String> row = query(db, "select (select count(*) from orders.customer_order), (select count(*) from orders.audit_log),"
                    + " (select count(*) from orders.entitlement), (select count(*) from orders.legacy_import),"
                    + " (select reserved from orders.package where id = ?),"
                    + " (select count(*) from orders.outbox where aggregate_id in (select order_id::text from orders.legacy_import))"
                    + " + (select count(*) from notifications.delivery where aggregate_id in"
                    + " (select order_id::text from orders.legacy_import))", PACKAGE);
            return new Counts(Long.parseLong(row.get(0)), Long.parseLong(row.get(1)), Long.parseLong(row.get(2)),
                    Long.parseLong(row.get(3)), Long.parseLong(row.get(4)), Long.parseLong(row.get(5)));
        }
    }

    private static UUID orderOf(SystemUnderTest system, long legacyId) throws SQLException {
        try (Connection db = system.connect()) {
            List<String> found = query(db, "select order_id from orders.legacy_import where legacy_order_id = ?", legacyId);
            assertThat(found).as("legacy order %d imported", legacyId).hasSize(1);
            return UUID.fromString(found.get(0));
        }
    }

    /** The first row's columns as text (booleans as t/f), or an empty list. */
    private static List<String> query(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<String> values = new ArrayList<>();
                if (rows.next()) {
                    for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                        Object value = rows.getObject(c);
                        values.add(value instanceof Boolean b ? (b ? "t" : "f") : String.valueOf(value));
                    }
                }
                return values;
            }
        }
    }
}
