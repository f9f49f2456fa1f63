package dev.lunas.systemtest.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.EventLedger;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * T11: a long transaction pins the database's cleanup. During load, a session of a role that is none of the
 * services' (a reporting user: no timeout of its own) opens a REPEATABLE READ transaction, takes its snapshot and
 * sits idle, so no row changed after it can be vacuumed. The relay keeps its pace (mail throughput within a third of
 * the baseline measured in the same run) and so does the expiry job (a batch of due orders closed within one job
 * period, the job's time on it within half again of the baseline); notification-service's
 * {@code database_oldest_transaction_age_seconds} names the role holding the horizon (what the LongTransaction alert
 * says) and its LONG_TRANSACTION log line the session; the database's idle-in-transaction timeout ends the session:
 * gone from pg_stat_activity, its client told so.
 */
final class LongTransaction extends Scenario {

    private static final String PACKAGE = "ai-movie-course";
    static final String ROLE = "lunas_report";
    private static final String APPLICATION = "t11-report";
    /** deploy/db/init.sql's default for every session of the database. */
    private static final String PRODUCTION_TIMEOUT = "5min";
    private static final Duration EXPIRY_PERIOD = Duration.ofSeconds(30);
    /** notification-service logs a transaction open this long (QueueStatsService.LONG_TRANSACTION). */
    private static final Duration LOGGED_AFTER = Duration.ofMinutes(1);
    private static final double KEPT_THROUGHPUT = 2.0 / 3;

    /** One batch of orders made due and how the expiry job took it. */
    private record Expiry(Duration lag, double jobSeconds, boolean allExpired) {
    }

    LongTransaction() {
        super("T11", "a long transaction pins the cleanup");
    }

    @Override
    public void run(ScenarioRun run) throws Exception {
        SystemUnderTest system = run.system();
        if (!system.runsAsRoles()) {
            run.skip("the services do not log in as production's roles here (external database), so the database's"
                    + " default and the monitoring function's rights are not production's");
        }
        Db db = new Db(system);
        Duration hold = run.pick(Duration.ofSeconds(90), Duration.ofMinutes(2), Duration.ofMinutes(5));
        int mails = run.pick(100, 300, 1_000);
        int expiring = run.pick(10, 30, 100);
        String database = (String) db.rows("select current_database()").get(0).get(0);
        String configured = String.join(",", db.rows("select coalesce(array_to_string(setconfig, ','), '') from"
                + " pg_db_role_setting where setrole = 0 and setdatabase = (select oid from pg_database where datname ="
                + " current_database())").stream().map(row -> (String) row.get(0)).toList());
        run.check("the database's default ends any session idle in a transaction (init.sql)",
                configured.contains("idle_in_transaction_session_timeout=" + PRODUCTION_TIMEOUT), "%s: %s", database,
                configured.isEmpty() ? "no setting" : configured);
        run.figure("idle-in-transaction timeout (the hold)", run.scale() == Scale.FULL ? PRODUCTION_TIMEOUT + " (init.sql's)"
                : hold.toSeconds() + " s (quick: the database default lowered for the run, init.sql's is " + PRODUCTION_TIMEOUT + ")");
        run.figure("mails per batch / orders made due per batch", mails + " / " + expiring);

        String password = "t11-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        db.update("do $$ begin if not exists (select 1 from pg_roles where rolname = '" + ROLE + "') then create role "
                + ROLE + " login; end if; end $$");
        db.update("alter role " + ROLE + " password '" + password + "'");
        db.update("grant connect on database \"" + database + "\" to " + ROLE);
        if (run.scale() != Scale.FULL) {
            db.update("alter database \"" + database + "\" set idle_in_transaction_session_timeout = '" + hold.toSeconds() + "s'");
        }
        try {
            CheckoutLedger checkouts = new CheckoutLedger(system);
            CheckoutClient client = new CheckoutClient(checkouts, Duration.ofMinutes(1));
            List<UUID> orders = new ArrayList<>();
            for (int i = 0; i < 2 * expiring; i++) {
                CheckoutClient.Outcome outcome = client.checkout(PACKAGE, system.customers().next());
                if (!outcome.created()) {
                    throw new IllegalStateException("a checkout did not succeed: " + outcome.last());
                }
                orders.add(outcome.last().orderId());
            }
            EventLedger ledger = new EventLedger(system);
            run.progress("baseline: %d mails, %d orders made due", mails, expiring);
            double baseline = mailBatch(run, db, ledger, mails, "baseline");
            Expiry baselineExpiry = expire(run, system, db, orders.subList(0, expiring), "baseline");

            run.progress("%s opens a REPEATABLE READ transaction, takes its snapshot and sits idle", ROLE);
            Connection intruder = intruder(system, password);
            int pid;
            try (Statement sql = intruder.createStatement()) {
                pid = intValue(sql, "select pg_backend_pid()");
                intruder.setAutoCommit(false);
                intruder.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                intValue(sql, "select count(*)::int from pg_class");
            }
            Instant idleSince = Instant.now();
            run.figure("the intruder", String.format(Locale.ROOT, "pid %d, role %s, application %s", pid, ROLE, APPLICATION));
            long deadBefore = deadTuples(db);

            Expiry heldExpiry = expire(run, system, db, orders.subList(expiring, 2 * expiring), "while held");
            List<Double> held = new ArrayList<>();
            do {
                held.add(mailBatch(run, db, ledger, mails, "while held #" + (held.size() + 1)));
            } while (Duration.between(idleSince, Instant.now()).compareTo(hold.multipliedBy(6).dividedBy(10)) < 0
                    && sessionAlive(db, pid));
            boolean stillHeld = sessionAlive(db, pid);
            long deadDuring = deadTuples(db);

            double worst = held.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            run.check("the relay kept its pace while the horizon was held", stillHeld && worst >= KEPT_THROUGHPUT * baseline,
                    "worst batch %.1f mails/s against %.1f baseline (%.0f %%, goal ≥ %.0f %%); the session still held it: %s",
                    worst, baseline, 100 * worst / baseline, 100 * KEPT_THROUGHPUT, stillHeld);
            run.check("the expiry job kept its pace while the horizon was held", baselineExpiry.allExpired() && heldExpiry.allExpired()
                            && heldExpiry.lag().compareTo(EXPIRY_PERIOD.plusSeconds(15)) <= 0
                            && heldExpiry.jobSeconds() <= 1.5 * baselineExpiry.jobSeconds() + 1.0,
                    "%d due orders EXPIRED %.1f s after they fell due (baseline %.1f s, goal ≤ one %d s period + 15 s); the job"
                            + " spent %.2f s on them (baseline %.2f s, goal ≤ 1.5 × + 1 s)", expiring,
                    heldExpiry.lag().toMillis() / 1000.0, baselineExpiry.lag().toMillis() / 1000.0, EXPIRY_PERIOD.toSeconds(),
                    heldExpiry.jobSeconds(), baselineExpiry.jobSeconds());
            run.figure("dead tuples of the outbox and delivery tables", deadBefore + " when the snapshot was taken, "
                    + deadDuring + " while it was held");

            judgeAlert(run, system, pid, idleSince, hold);
            judgeTimeout(run, db, intruder, pid, idleSince, hold);

            run.ledger(ledger.events().size() + " mails", ledger::reconcile, 0, "no fault here makes a mail twice",
                    Duration.ofMinutes(2));
        } finally {
            db.update("alter database \"" + database + "\" set idle_in_transaction_session_timeout = '" + PRODUCTION_TIMEOUT + "'");
        }
    }

    private static Connection intruder(SystemUnderTest system, String password) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", ROLE);
        login.setProperty("password", password);
        login.setProperty("ApplicationName", APPLICATION);
        return DriverManager.getConnection(system.database().jdbcUrl(), login);
    }

    /** Publishes mails and returns their throughput: mails per second from publishing until all are sent. */
    private static double mailBatch(ScenarioRun run, Db db, EventLedger ledger, int count, String label) {
        Instant started = Instant.now();
        List<UUID> ids = ledger.publishExpiredOrders(count);
        boolean sent = run.await(Duration.ofMinutes(3), Duration.ofMillis(250), () -> db.count("select count(*) from"
                + " notifications.delivery where event_id = any(?) and status = 'SENT'", ids) == count);
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        double rate = sent ? count / seconds : 0;
        run.figure("mails " + label, String.format(Locale.ROOT, "%d in %.1f s = %.1f mails/s%s", count, seconds, rate,
                sent ? "" : " (not all sent)"));
        return rate;
    }

    /**
     * Makes the orders due (their deadline and the expiry grace passed) and waits until the expiry job closed them all;
     * the job's time is what order-service's job timer gained meanwhile.
     */
    private static Expiry expire(ScenarioRun run, SystemUnderTest system, Db db, List<UUID> orders, String label) {
        double jobBefore = jobSeconds(system);
        db.update("update orders.customer_order set expires_at = now() - interval '11 minutes' where id = any(?)", orders);
        Instant due = Instant.now();
        boolean all = run.await(EXPIRY_PERIOD.multipliedBy(3), Duration.ofMillis(250), () -> db.count(
                "select count(*) from orders.customer_order where id = any(?) and status = 'EXPIRED'", orders) == orders.size());
        Duration lag = Duration.between(due, Instant.now());
        // the run that closed them stamps its timer when it ends, right after its commit
        ScenarioRun.sleep(Duration.ofSeconds(1));
        double job = jobSeconds(system) - jobBefore;
        run.figure("expiry " + label, String.format(Locale.ROOT, "%d orders EXPIRED %.1f s after falling due%s; job time %.2f s",
                orders.size(), lag.toMillis() / 1000.0, all ? "" : " (not all)", job));
        return new Expiry(lag, job, all);
    }

    private static double jobSeconds(SystemUnderTest system) {
        return MetricsSnapshot.scrape(system.baseUrl(Service.ORDER)).sum("job_execution_time_seconds_sum", "job_name", "order-expiry");
    }

    private static long deadTuples(Db db) {
        return db.count("select coalesce(sum(n_dead_tup), 0)::bigint from pg_stat_user_tables where (schemaname, relname) in"
                + " (('orders', 'outbox'), ('payments', 'outbox'), ('notifications', 'delivery'))");
    }

    private static boolean sessionAlive(Db db, int pid) {
        return db.count("select count(*) from pg_stat_activity where pid = ?", pid) > 0;
    }

    /** What the alert is made of: the gauge names the role; the log line names the session. */
    private static void judgeAlert(ScenarioRun run, SystemUnderTest system, int pid, Instant idleSince, Duration hold) {
        double[] seen = new double[1];
        boolean named = run.await(hold, Duration.ofSeconds(2), () -> {
            seen[0] = MetricsSnapshot.scrape(system.baseUrl(Service.NOTIFICATION))
                    .sum("database_oldest_transaction_age_seconds", "db_role", ROLE);
            return seen[0] >= LOGGED_AFTER.toSeconds();
        });
        run.check("notification-service's gauge names the role holding the horizon", named,
                "database_oldest_transaction_age_seconds{db_role=\"%s\"} = %.0f s, %.0f s after the snapshot", ROLE, seen[0],
                Duration.between(idleSince, Instant.now()).toMillis() / 1000.0);
        Optional<JsonNode> logged = Optional.empty();
        Instant deadline = Instant.now().plusSeconds(30);
        while (logged.isEmpty() && Instant.now().isBefore(deadline)) {
            logged = system.logs().records().stream()
                    .filter(record -> "LONG_TRANSACTION".equals(record.path("mdc").path("event_type").asText()))
                    .filter(record -> record.path("message").asText().contains("pid " + pid + ",")).findFirst();
            if (logged.isEmpty()) {
                ScenarioRun.sleep(Duration.ofSeconds(1));
            }
        }
        run.check("its LONG_TRANSACTION log line names the session", logged.isPresent()
                        && logged.get().path("message").asText().contains(APPLICATION)
                        && logged.get().path("message").asText().contains(ROLE),
                "%s", logged.map(record -> record.path("message").asText()).orElse("no such line"));
    }

    /** The idle-in-transaction timeout ends the session: it leaves pg_stat_activity and its client is told why. */
    private static void judgeTimeout(ScenarioRun run, Db db, Connection intruder, int pid, Instant idleSince, Duration hold) {
        boolean ended = run.await(hold.plusSeconds(30), Duration.ofMillis(500), () -> !sessionAlive(db, pid));
        Duration after = Duration.between(idleSince, Instant.now());
        String told;
        try (intruder; Statement sql = intruder.createStatement()) {
            sql.execute("select 1");
            told = "nothing: the statement ran";
        } catch (SQLException e) {
            told = e.getSQLState() + " " + e.getMessage();
        }
        boolean timeout = told.startsWith("25P03") || told.contains("idle-in-transaction timeout");
        run.check("the idle-in-transaction timeout ended the session", ended && timeout
                        && after.compareTo(hold.plusSeconds(20)) <= 0,
                "gone from pg_stat_activity %.0f s after it went idle (timeout %d s); the client was told: %s",
                after.toMillis() / 1000.0, hold.toSeconds(), told);
        run.figure("session ended after", String.format(Locale.ROOT, "%.0f s idle", after.toMillis() / 1000.0));
    }

    private static int intValue(Statement sql, String query) throws SQLException {
        try (ResultSet result = sql.executeQuery(query)) {
            result.next();
            return result.getInt(1);
        }
    }
}
