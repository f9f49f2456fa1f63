package dev.lunas.systemtest.faults;

import dev.lunas.launcher.measure.ProcessCpu;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.EventLedger;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * T9: a 10,000-message backlog. The relay is stopped while 10,000 mails pile up in orders.outbox, then started
 * with the SMTP sink answering each mail after 20 ms and 16 sends at once (G9's settings): the drain time
 * against G9's target (twice the SMTP-bound ceiling N·L/C), nothing lost or duplicated, PostgreSQL's share of
 * the CPU, dead tuples back under 20 % of live rows (autovacuum keeps up), and the oldest-pending-age gauge
 * rising and then falling back to zero.
 */
final class BacklogDrain extends Scenario {

    private static final Duration SINK_LATENCY = Duration.ofMillis(20);
    private static final int CONCURRENCY = 16;

    private record GaugeSample(Instant at, double oldestPendingAge) {
    }

    BacklogDrain() {
        super("T9", "10,000-message backlog drain");
    }

    @Override
    public Map<Service, Map<String, String>> configuration(Scale scale) {
        // the quick drain is over in seconds: the gauges (production: every 15 s) must be refreshed more often to be seen
        return scale == Scale.FULL ? Map.of() : Map.of(Service.NOTIFICATION, Map.of("LUNAS_NOTIFICATION_GAUGE_REFRESH", "1s"));
    }

    @Override
    public void run(ScenarioRun run) {
        SystemUnderTest system = run.system();
        Db db = new Db(system);
        int messages = run.pick(500, 2_000, 10_000);
        Duration target = Duration.ofMillis(2L * messages * SINK_LATENCY.toMillis() / CONCURRENCY);
        run.figure("messages", messages);
        run.figure("SMTP sink latency / sends at once", SINK_LATENCY.toMillis() + " ms / " + CONCURRENCY);

        system.smtpProxy().mailReplyLatency(SINK_LATENCY);
        double ceiling = sinkCeiling(system, run.pick(10, 20, 40));
        run.figure("the sink's own ceiling (" + CONCURRENCY + " SMTP connections, same latency, no Lunas)",
                String.format(Locale.ROOT, "%.0f mails/s", ceiling));
        run.progress("notification-service stopped; %d mails into orders.outbox", messages);
        system.stop(Service.NOTIFICATION);
        EventLedger ledger = new EventLedger(system);
        List<UUID> eventIds = ledger.publishExpiredOrders(messages);

        List<GaugeSample> gauge = new CopyOnWriteArrayList<>();
        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
        long postgresBefore = ProcessCpu.postgresTicks();
        Instant started = Instant.now();
        system.start(Service.NOTIFICATION);
        long pid = system.process(Service.NOTIFICATION).pid().orElseThrow();
        try {
            scraper.scheduleAtFixedRate(() -> {
                try {
                    gauge.add(new GaugeSample(Instant.now(), MetricsSnapshot.scrape(system.baseUrl(Service.NOTIFICATION))
                            .sum("outbox_oldest_pending_age_seconds")));
                } catch (RuntimeException e) {
                    // the service may be between answers; the next scrape counts
                }
            }, 0, 1, TimeUnit.SECONDS);
            boolean drained = run.await(Duration.ofMinutes(10), Duration.ofMillis(500), () -> db.count(
                    "select count(*) from notifications.delivery where event_id = any(?) and status = 'SENT'", eventIds) == messages);
            Duration wall = Duration.between(started, Instant.now());
            Duration postgres = ProcessCpu.time(ProcessCpu.postgresTicks() - postgresBefore);
            Duration relay = ProcessCpu.time(ProcessCpu.ticks(pid));
            Duration drain = drainTime(db, eventIds);
            run.check("drained within G9's target (2 × N·L/C)", drained && drain.compareTo(target) <= 0,
                    "%.1f s from the first delivery made to the last sent (target %.1f s; %.1f s from the service's start)",
                    drain.toMillis() / 1000.0, target.toMillis() / 1000.0, wall.toMillis() / 1000.0);
            run.figure("drain (first delivery made → last sent)", seconds(drain) + String.format(Locale.ROOT,
                    " = %.0f mails/s, %.0f %% of the sink's own ceiling", messages * 1000.0 / drain.toMillis(),
                    100 * messages * 1000.0 / drain.toMillis() / ceiling));
            run.figure("ratio to the SMTP-bound ceiling N·L/C", String.format(Locale.ROOT, "%.2f",
                    drain.toMillis() / (double) (messages * SINK_LATENCY.toMillis() / CONCURRENCY)));
            double cores = Runtime.getRuntime().availableProcessors();
            run.figure("CPU share of PostgreSQL during the drain", String.format(Locale.ROOT, "%.0f %% (%.1f s CPU of %.1f s × %.0f cores)",
                    100 * postgres.toMillis() / (wall.toMillis() * cores), postgres.toMillis() / 1000.0, wall.toMillis() / 1000.0, cores));
            run.figure("CPU of notification-service (start-up included)", seconds(relay));
            // the gauge is refreshed by one query every few seconds: after the drain it must come back to zero
            run.await(Duration.ofSeconds(45), Duration.ofSeconds(1), () -> !gauge.isEmpty()
                    && gauge.get(gauge.size() - 1).oldestPendingAge() == 0);
        } finally {
            scraper.shutdownNow();
        }
        double peak = gauge.stream().mapToDouble(GaugeSample::oldestPendingAge).max().orElse(0);
        boolean fellBack = !gauge.isEmpty() && gauge.get(gauge.size() - 1).oldestPendingAge() == 0;
        run.check("outbox_oldest_pending_age_seconds rose, then fell back to 0", peak > 0 && fellBack,
                "peak %.1f s, last %.1f s (%d scrapes, one a second)", peak,
                gauge.isEmpty() ? -1 : gauge.get(gauge.size() - 1).oldestPendingAge(), gauge.size());
        run.ledger(messages + " mails", ledger::reconcile, 0, "exactly once", Duration.ofMinutes(1));
        deadTuples(run, db);
    }

    /**
     * What the SMTP sink behind the proxy takes when a plain client (Jakarta Mail) sends over 16 connections at
     * once: the harness's own ceiling, so the drain can be read as a ratio to it rather than to an ideal.
     */
    private static double sinkCeiling(SystemUnderTest system, int mailsPerConnection) {
        Properties smtp = new Properties();
        smtp.put("mail.smtp.host", "127.0.0.1");
        smtp.put("mail.smtp.port", String.valueOf(system.smtpProxy().port()));
        Session session = Session.getInstance(smtp);
        long started = System.nanoTime();
        Parallel.run(CONCURRENCY, CONCURRENCY, connection -> {
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect();
                for (int i = 0; i < mailsPerConnection; i++) {
                    MimeMessage mail = new MimeMessage(session);
                    mail.setFrom("kalibrasi@lunas.test");
                    mail.setRecipients(Message.RecipientType.TO, "kalibrasi@lunas.test");
                    mail.setSubject("calibration " + connection + "/" + i);
                    mail.setText("The fault suite measures the sink's ceiling.");
                    transport.sendMessage(mail, mail.getAllRecipients());
                }
                return null;
            } catch (MessagingException e) {
                throw new IllegalStateException("The calibration mail could not be sent", e);
            }
        });
        return CONCURRENCY * mailsPerConnection / ((System.nanoTime() - started) / 1e9);
    }

    /** From the first delivery the relay made to the last one sent, on the database clock. */
    private static Duration drainTime(Db db, List<UUID> eventIds) {
        List<Object> row = db.rows("select min(created_at), max(finished_at) from notifications.delivery where event_id = any(?)",
                eventIds).get(0);
        if (row.get(0) == null || row.get(1) == null) {
            return Duration.ofDays(1);
        }
        return Duration.between(((Timestamp) row.get(0)).toInstant(), ((Timestamp) row.get(1)).toInstant());
    }

    /** Autovacuum must bring dead tuples under 20 % of live rows on the queue tables within 10 minutes. */
    private static void deadTuples(ScenarioRun run, Db db) {
        Duration within = run.pick(Duration.ofMinutes(3), Duration.ofMinutes(3), Duration.ofMinutes(10));
        Instant since = Instant.now();
        String query = "select relname, n_live_tup, n_dead_tup from pg_stat_user_tables where (schemaname, relname) in"
                + " (('notifications', 'delivery'), ('orders', 'outbox'))";
        List<String> first = describe(db.rows(query));
        boolean healthy = run.await(within, Duration.ofSeconds(5), () -> db.rows(query).stream()
                .allMatch(row -> ((Number) row.get(2)).doubleValue() <= 0.2 * ((Number) row.get(1)).doubleValue()));
        run.check("dead tuples back under 20 % of live rows", healthy, "right after the drain %s; %s %s",
                first, healthy ? "under 20 % after" : "still over after", seconds(Duration.between(since, Instant.now())));
        run.figure("n_live_tup / n_dead_tup at the end", describe(db.rows(query)));
    }

    private static List<String> describe(List<List<Object>> rows) {
        return rows.stream().map(row -> row.get(0) + " " + row.get(1) + " live / " + row.get(2) + " dead").toList();
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
