package dev.lunas.benchmark.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.benchmark.sql.PgbenchScript;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL side of the reference: against a real PostgreSQL (zonky's, as the benchmark itself uses), no services. */
class BenchDatabaseTest {

    private static final String ATTEMPT = "01a2006e-399e-7706-b532-c0822d03f030";

    private static EmbeddedPostgres postgres;
    private static BenchDatabase database;

    @BeforeAll
    static void start() throws Exception {
        // The launcher's jar lists its lib/ folder in its manifest, so inside the reactor the binaries are on the class
        // path twice; zonky's default resolver refuses that, this one takes the first copy.
        postgres = EmbeddedPostgres.builder()
                .setPgBinaryResolver((system, hardware) -> BenchDatabaseTest.class.getResourceAsStream(
                        "/postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + hardware + ".txz"))
                .start();
        database = new BenchDatabase(postgres.getPort());
        database.execute(BenchDatabase.MAINTENANCE, "create database " + BenchDatabase.SERVICES);
        database.execute(BenchDatabase.SERVICES,
                "create schema payments",
                "create table payments.payment_attempt (order_id uuid primary key, amount bigint not null,"
                        + " status text not null, expires_at timestamptz not null, created_at timestamptz not null default now())",
                "create table payments.payment_event (id bigint generated always as identity primary key, idempotency_key text unique)",
                "insert into payments.payment_attempt (order_id, amount, status, expires_at)"
                        + " values ('" + ATTEMPT + "', 99000, 'PENDING', '2026-11-22 23:25:53.390149+00')");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void seededCopiesCarryExactlyTheIdsThePgbenchScriptUses() throws Exception {
        List<ExistingRows.Row> before = ExistingRows.snapshot(database, Set.of("payments", "orders"), ATTEMPT);
        assertThat(before).singleElement().satisfies(row -> {
            assertThat(row.table()).isEqualTo("payments.payment_attempt");
            assertThat(row.key()).isEqualTo("order_id");
            assertThat(row.values()).containsEntry("status", "PENDING").containsEntry("amount", "99000");
        });
        database.copyServicesDatabase(Duration.ofSeconds(10));

        try (Connection reference = database.connect(BenchDatabase.REFERENCE); Statement sql = reference.createStatement()) {
            long seeding = ExistingRows.seed(reference, before.get(0), 1, 3, 2, 5);

            try (ResultSet rows = sql.executeQuery("select order_id::text, amount, status, expires_at = '2026-11-22 23:25:53.390149+00'"
                    + " from payments.payment_attempt where order_id <> '" + ATTEMPT + "' order by order_id")) {
                int count = 0;
                while (rows.next()) {
                    assertThat(rows.getLong(2)).isEqualTo(99_000);
                    assertThat(rows.getString(3)).isEqualTo("PENDING");
                    assertThat(rows.getBoolean(4)).isTrue();
                    count++;
                }
                assertThat(count).isEqualTo(10);
            }
            String clientOneThirdTransaction = PgbenchScript.uuidOf(PgbenchScript.existingRow(3, 1, 3, 1));
            assertThat(exists(sql, "select 1 from payments.payment_attempt where order_id = '" + clientOneThirdTransaction + "'")).isTrue();
            try (ResultSet uuid = sql.executeQuery("select " + PgbenchScript.uuidExpression("e1").replace(":e1",
                    String.valueOf(PgbenchScript.existingRow(3, 1, 3, 1))) + "::text")) {
                uuid.next();
                assertThat(uuid.getString(1)).as("the script's own expression").isEqualTo(clientOneThirdTransaction);
            }

            assertThat(ExistingRows.changed(reference, before.get(0), 3, seeding)).isZero();
            sql.execute("update payments.payment_attempt set status = 'SETTLED' where order_id = '" + clientOneThirdTransaction + "'");
            assertThat(ExistingRows.changed(reference, before.get(0), 3, seeding)).isEqualTo(1);
            assertThat(ExistingRows.changed(reference, before.get(0), 4, seeding)).as("another run's range").isZero();
        }
    }

    @Test
    void parameterTypesAreTheOnesTheServerInfers() {
        assertThat(database.parameterTypes("select 1 from payments.payment_attempt where order_id = $1 and amount > $2"
                + " and expires_at < to_timestamp($3) and status = coalesce($4, status)"))
                .containsExactly("uuid", "bigint", "double precision", "text");
    }

    @Test
    void anIdIsKnownAsReturnedByTheTransactionThatInsertedIt() throws Exception {
        long id;
        long txid;
        try (Connection connection = database.connect(BenchDatabase.SERVICES); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            try (ResultSet inserted = sql.executeQuery("insert into payments.payment_event (idempotency_key) values ('k1') returning id")) {
                inserted.next();
                id = inserted.getLong(1);
            }
            try (ResultSet current = sql.executeQuery("select txid_current()")) {
                current.next();
                txid = current.getLong(1);
            }
            connection.commit();
        }

        assertThat(database.insertedBy("payments.payment_event", "id", String.valueOf(id), txid)).isTrue();
        assertThat(database.insertedBy("payments.payment_event", "id", String.valueOf(id), txid + 1)).isFalse();
        assertThat(database.insertedBy("payments.payment_event", "id", String.valueOf(id + 1000), txid)).isFalse();
        assertThat(database.insertedBy("payments.payment_event; drop table x", "id", "1", txid)).isFalse();
    }

    @Test
    void statementLoggingIsSwitchedForEverySession() throws Exception {
        database.logAllStatements(true);
        assertThat(database.text(BenchDatabase.SERVICES, "show log_statement")).isEqualTo("all");
        assertThat(database.logMarker()).startsWith("lunas-bench-marker-");
        database.logAllStatements(false);
        assertThat(database.text(BenchDatabase.SERVICES, "show log_statement")).isEqualTo("none");
    }

    private static boolean exists(Statement sql, String query) throws Exception {
        try (ResultSet row = sql.executeQuery(query)) {
            return row.next();
        }
    }
}
