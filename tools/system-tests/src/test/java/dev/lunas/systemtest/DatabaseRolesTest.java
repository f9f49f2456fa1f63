package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lunas.launcher.run.DatabaseRoles;
import dev.lunas.launcher.run.LaunchException;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemSettings;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11: the database roles of deploy/db/init.sql (docs/database-roles.md) on the running system. The services
 * run as their runtime roles and migrated as their schemas' owners; then the test logs in as each role and shows
 * what it may do and what it is refused. Every statement runs in a transaction that is rolled back, so the shared
 * system keeps its data and its schema; a refusal is PostgreSQL's {@code insufficient_privilege} (42501).
 */
@Order(6)
@ExtendWith(SharedSystem.class)
class DatabaseRolesTest {

    private static final String REFUSED = "42501";

    private static final String ORDERS = DatabaseRoles.runtime(Service.ORDER);
    private static final String PAYMENTS = DatabaseRoles.runtime(Service.PAYMENT);
    private static final String NOTIFICATIONS = DatabaseRoles.runtime(Service.NOTIFICATION);

    @BeforeEach
    void onTheEmbeddedDatabase(SystemUnderTest system) {
        assumeTrue(SystemSettings.embeddedDatabase(),
                "the database is external (LUNAS_TEST_DATABASE_URL): the services use its credentials, not the roles");
        assertThat(system.runsAsRoles()).as("the embedded database has production's roles").isTrue();
    }

    @Test
    void eachServiceRunsAsItsRuntimeRoleAndMigratedAsItsSchemasOwner(SystemUnderTest system) throws SQLException {
        try (Connection superuser = system.connect()) {
            for (Service service : Service.values()) {
                String schema = service.schema();
                List<String> logins = Eventually.soon(service + "'s database sessions").until(
                        () -> strings(superuser, "select distinct usename from pg_stat_activity where application_name = '"
                                + service.moduleName() + "'"), sessions -> !sessions.isEmpty());
                assertThat(logins).as("%s logs in as", service).containsExactly(DatabaseRoles.runtime(service));
                assertThat(strings(superuser, "select nspowner::regrole::text from pg_namespace where nspname = '" + schema + "'"))
                        .as("the owner of schema %s", schema).containsExactly(DatabaseRoles.owner(service));
                assertThat(strings(superuser, "select distinct tableowner from pg_tables where schemaname = '" + schema + "'"))
                        .as("the owner of every table in %s", schema).containsExactly(DatabaseRoles.owner(service));
                assertThat(strings(superuser, "select distinct installed_by from " + schema + ".flyway_schema_history"))
                        .as("who ran the migrations of %s", schema).containsExactly(DatabaseRoles.owner(service));
            }
        }
    }

    @Test
    void theRuntimeRoleReadsAndWritesItsTablesButChangesNoSchema(SystemUnderTest system) throws SQLException {
        try (Connection orders = login(system, ORDERS)) {
            allowed(orders, "select count(*) from orders.customer_order");
            allowed(orders, "update orders.package set active = active");
            allowed(orders, "insert into orders.audit_log (order_id, actor, action, correlation_id) values ('"
                    + UUID.randomUUID() + "', 'test', 'ROLE_CHECK', 'role-check')");
            refused(orders, "create table orders.role_check (id int)");
            refused(orders, "alter table orders.customer_order add column role_check int");
            refused(orders, "drop table orders.discount_code");
            refused(orders, "truncate orders.idempotency_key");
            refused(orders, "create index role_check_idx on orders.customer_order (customer_name)");
            refused(orders, "create table public.role_check (id int)");
            refused(orders, "create temporary table role_check (id int)");
        }
        try (Connection owner = login(system, DatabaseRoles.owner(Service.ORDER))) {
            allowed(owner, "create table orders.role_check (id int)",
                    "alter table orders.role_check add column note text",
                    // tables of later migrations reach the runtime role by the default privileges, and only it
                    "do $$ begin if not has_table_privilege('" + ORDERS + "', 'orders.role_check', 'insert')"
                            + " or has_table_privilege('" + PAYMENTS + "', 'orders.role_check', 'select')"
                            + " then raise exception 'default privileges'; end if; end $$",
                    "drop table orders.role_check");
        }
    }

    @Test
    void aServiceReachesNoOtherServicesTablesButTheRelayItsOutboxes(SystemUnderTest system) throws SQLException {
        try (Connection orders = login(system, ORDERS)) {
            refused(orders, "select count(*) from payments.payment_attempt");
            refused(orders, "select count(*) from notifications.delivery");
            refused(orders, "select count(*) from payments.outbox");
        }
        try (Connection payments = login(system, PAYMENTS)) {
            refused(payments, "select count(*) from orders.customer_order");
            refused(payments, "select count(*) from orders.outbox");
        }
        try (Connection notifications = login(system, NOTIFICATIONS)) {
            for (String source : List.of("orders", "payments")) {
                allowed(notifications, "select count(*) from " + source + ".outbox where status = 'PENDING'");
                allowed(notifications, "update " + source + ".outbox set last_error = last_error where status = 'DEAD'");
                allowed(notifications, "delete from " + source + ".outbox where status = 'SENT' and relayed_at < now() - interval '100 years'");
                refused(notifications, "insert into " + source + ".outbox (event_id, event_type, aggregate_type, aggregate_id, payload)"
                        + " values ('" + UUID.randomUUID() + "', 'RoleCheck', 'Order', 'x', '{}')");
                refused(notifications, "truncate " + source + ".outbox");
            }
            // the watchdog reads what it checks (the producers' V3__watchdog_read), and writes none of it
            allowed(notifications, "select count(*) from orders.customer_order");
            allowed(notifications, "select count(*) from payments.payment_attempt");
            allowed(notifications, "select count(*) from payments.payment_audit");
            refused(notifications, "update orders.customer_order set updated_at = updated_at");
            refused(notifications, "update payments.payment_attempt set updated_at = updated_at");
            refused(notifications, "insert into payments.payment_audit (order_id, action) select order_id, 'RoleCheck' "
                    + "from payments.payment_attempt limit 1");
            refused(notifications, "select count(*) from orders.audit_log");
            refused(notifications, "select count(*) from orders.entitlement");
            refused(notifications, "select count(*) from payments.payment_event");
        }
    }

    @Test
    void theRuntimeRolesCannotRewriteTheAuditTrailOrTheMigrationHistory(SystemUnderTest system) throws SQLException {
        try (Connection orders = login(system, ORDERS)) {
            allowed(orders, "select count(*) from orders.audit_log");
            refused(orders, "delete from orders.audit_log");
            refused(orders, "update orders.audit_log set reason = 'rewritten'");
            refused(orders, "truncate orders.audit_log");
            refused(orders, "delete from orders.flyway_schema_history");
            refused(orders, "insert into orders.flyway_schema_history select * from orders.flyway_schema_history limit 1");
        }
        try (Connection payments = login(system, PAYMENTS)) {
            refused(payments, "delete from payments.payment_audit");
            refused(payments, "update payments.payment_audit set reason = 'rewritten'");
            // the inbox of Midtrans facts is resolved in place, never deleted
            allowed(payments, "update payments.payment_event set detail = detail");
            refused(payments, "delete from payments.payment_event");
            refused(payments, "update payments.flyway_schema_history set success = false");
        }
        try (Connection notifications = login(system, NOTIFICATIONS)) {
            allowed(notifications, "insert into notifications.admin_audit (actor, action, target, detail, correlation_id)"
                    + " values ('test', 'ROLE_CHECK', 'none', '{}', 'role-check')");
            refused(notifications, "delete from notifications.admin_audit");
            refused(notifications, "update notifications.admin_audit set actor = 'someone else'");
        }
    }

    @Test
    void theMonitoringRoleReadsStatisticsAndNothingElse(SystemUnderTest system) throws SQLException {
        try (Connection monitor = login(system, DatabaseRoles.MONITOR)) {
            // pg_monitor: every session with its query, not "<insufficient privilege>"
            Eventually.soon("the services' sessions as lunas_monitor sees them").until(
                    () -> strings(monitor, "select distinct usename from pg_stat_activity"
                            + " where query not like '<insufficient%' and usename like 'lunas\\_%'"),
                    sessions -> sessions.containsAll(List.of(ORDERS, PAYMENTS, NOTIFICATIONS)));
            assertThat(strings(monitor, "select relname from pg_stat_user_tables where schemaname = 'orders' and relname = 'outbox'"))
                    .containsExactly("outbox");
            allowed(monitor, "select count(*) from pg_locks", "select * from pg_stat_database where datname = current_database()");
            refused(monitor, "select count(*) from orders.customer_order");
            refused(monitor, "select count(*) from notifications.delivery");
            refused(monitor, "insert into orders.outbox (event_id, event_type, aggregate_type, aggregate_id, payload)"
                    + " values ('" + UUID.randomUUID() + "', 'RoleCheck', 'Order', 'x', '{}')");
            refused(monitor, "create table public.role_check (id int)");
            refused(monitor, "create temporary table role_check (id int)");
        }
    }

    @Test
    void publicHasLostItsDefaultRights(SystemUnderTest system) throws SQLException {
        String stranger = "role_check_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection superuser = system.connect(); Statement sql = superuser.createStatement()) {
            sql.execute("create role " + stranger + " login password '" + DatabaseRoles.localPassword(stranger) + "'");
            try {
                assertThatThrownBy(() -> system.connectAs(stranger).close())
                        .as("a role the script did not grant CONNECT").isInstanceOf(LaunchException.class)
                        .hasMessageContaining("permission denied for database");
                assertThat(strings(superuser, "select has_schema_privilege('public', 'public', 'USAGE'),"
                        + " has_schema_privilege('public', 'public', 'CREATE'),"
                        + " has_database_privilege('public', current_database(), 'TEMPORARY')"))
                        .containsExactly("f", "f", "f");
            } finally {
                sql.execute("drop role " + stranger);
            }
        }
    }

    private static Connection login(SystemUnderTest system, String role) throws SQLException {
        Connection connection = system.connectAs(role);
        connection.setAutoCommit(false);
        try (Statement sql = connection.createStatement()) {
            // a refused statement must never wait behind the services' locks
            sql.execute("set lock_timeout = '" + Duration.ofSeconds(5).toMillis() + "ms'");
        }
        connection.commit();
        return connection;
    }

    /** Runs the statements in one transaction, then rolls it back. */
    private static void allowed(Connection connection, String... statements) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        } finally {
            connection.rollback();
        }
    }

    private static void refused(Connection connection, String statement) {
        assertThatThrownBy(() -> allowed(connection, statement)).as(statement)
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).as("%s: %s", statement, e.getMessage())
                        .isEqualTo(REFUSED));
    }

    /** Every column of every row, as text, row after row. */
    private static List<String> strings(Connection connection, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery(query)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int column = 1; column <= columns; column++) {
                    values.add(rows.getString(column));
                }
            }
        } finally {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        }
        return values;
    }
}
