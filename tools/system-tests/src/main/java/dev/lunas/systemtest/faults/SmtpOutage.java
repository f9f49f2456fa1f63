package dev.lunas.systemtest.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.fault.FaultProxy;
import dev.lunas.launcher.measure.Latencies;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.Customer;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.EventLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * T5: the SMTP server is away for a while — first refusing connections, then (the variant) accepting them and
 * never answering — while payment instructions keep being produced (a mail and a WhatsApp message each). No
 * mail may end DEAD or be lost; each mail's attempts must stay inside the envelope the backoff formula allows
 * (no tight loop), and once the channel's breaker is open the attempt counters must stop growing; WhatsApp
 * goes on unaffected; after recovery the backlog drains quickly without a herd of connections.
 */
final class SmtpOutage extends Scenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Slack on timing comparisons: the database clock and this JVM's, one-second polls, a busy machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    /** notification-service's settings this scenario runs with (production's at full scale). */
    private record Settings(Duration retryBase, Duration retryCap, Duration breakerDelay, int concurrency) {
        Duration ceiling(int attempt) {
            long millis = retryBase.toMillis();
            for (int i = 1; i < attempt && millis < retryCap.toMillis(); i++) {
                millis *= 2;
            }
            return Duration.ofMillis(Math.min(millis, retryCap.toMillis()));
        }
    }

    private static final Settings PRODUCTION = new Settings(Duration.ofSeconds(10), Duration.ofMinutes(30),
            Duration.ofSeconds(60), 16);
    private static final Settings SHORT = new Settings(Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofSeconds(10), 16);

    SmtpOutage() {
        super("T5", "SMTP down (refused, then hanging)");
    }

    @Override
    public Map<Service, Map<String, String>> configuration(Scale scale) {
        if (scale == Scale.FULL) {
            return Map.of();
        }
        Map<String, String> variables = new HashMap<>(ShortLeases.VARIABLES);
        variables.put("LUNAS_NOTIFICATION_RETRY_BASE", SHORT.retryBase().toSeconds() + "s");
        variables.put("LUNAS_NOTIFICATION_RETRY_CAP", SHORT.retryCap().toSeconds() + "s");
        variables.put("LUNAS_NOTIFICATION_EMAIL_BREAKER_DELAY", SHORT.breakerDelay().toSeconds() + "s");
        return Map.of(Service.NOTIFICATION, variables);
    }

    @Override
    public void run(ScenarioRun run) {
        Settings settings = run.scale() == Scale.FULL ? PRODUCTION : SHORT;
        Duration outage = run.options().smtpOutage()
                .orElse(run.pick(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(10)));
        int mails = run.pick(40, 200, 1_000);
        run.figure("outage per variant", outage.toSeconds() + " s");
        run.figure("retry base / cap, breaker delay", settings.retryBase().toSeconds() + " s / " + settings.retryCap().toSeconds()
                + " s, " + settings.breakerDelay().toSeconds() + " s");
        variant(run, "refused", FaultProxy::refuse, outage, mails, settings);
        variant(run, "hanging", FaultProxy::hang, outage, mails, settings);
    }

    private void variant(ScenarioRun run, String name, Consumer<FaultProxy> fault, Duration outage,
                         int mails, Settings settings) {
        SystemUnderTest system = run.system();
        Db db = new Db(system);
        FaultProxy smtp = system.smtpProxy();
        EventLedger ledger = new EventLedger(system);
        List<UUID> eventIds = new CopyOnWriteArrayList<>();
        List<Sample> samples = new CopyOnWriteArrayList<>();

        run.progress("SMTP %s for %d s while %d payment instructions are produced", name, outage.toSeconds(), mails);
        int awaitingReply = smtp.mailsAwaitingReply();
        fault.accept(smtp);
        Instant faultAt = Instant.now();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        try {
            // mails come in over the first half of the outage, one batch a second
            int seconds = (int) Math.max(1, outage.toSeconds() / 2);
            int perSecond = (int) Math.ceil((double) mails / seconds);
            timers.scheduleAtFixedRate(guarded(run, () -> {
                int left = mails - eventIds.size();
                if (left > 0) {
                    eventIds.addAll(publish(system, ledger, Math.min(perSecond, left)));
                }
            }), 0, 1, TimeUnit.SECONDS);
            timers.scheduleAtFixedRate(guarded(run, () -> samples.add(sample(system, db, eventIds))), 0, 1, TimeUnit.SECONDS);
            ScenarioRun.sleep(outage);
        } finally {
            stop(timers);
        }
        samples.add(sample(system, db, eventIds));
        Instant recovered = Instant.now();
        smtp.resetPeak();
        smtp.pass();
        Duration nextDue = nextRetryDue(db, eventIds, recovered);
        boolean drained = run.await(Duration.ofMinutes(2).plus(nextDue).plus(settings.breakerDelay()), Duration.ofSeconds(1),
                () -> unsentMails(db, eventIds) == 0);
        Duration drain = Duration.between(recovered, Instant.now());
        Duration allowed = max(Duration.ofMinutes(2), nextDue.plus(settings.breakerDelay()).plus(SLACK));

        String label = "SMTP " + name + ": ";
        long dead = db.count("select count(*) from notifications.delivery where event_id = any(?) and status = 'DEAD'", eventIds);
        run.check(label + "no delivery DEAD", dead == 0, "%d DEAD of %d deliveries", dead, 2L * eventIds.size());
        run.check(label + "the backlog drained soon after recovery", drained && drain.compareTo(allowed) <= 0,
                "%.1f s (allowed: 2 min or the next backoff tick + breaker delay = %.0f s)", drain.toMillis() / 1000.0,
                allowed.toMillis() / 1000.0);
        envelope(run, label, db, eventIds, settings, Duration.between(faultAt, recovered));
        breakerHeld(run, label, samples, settings);
        whatsAppUnaffected(run, label, db, eventIds);
        List<Instant> connections = smtp.acceptedSince(recovered);
        int perSecondPeak = peakPerSecond(connections);
        run.check(label + "no herd of SMTP connections after recovery", smtp.peakOpenConnections() <= settings.concurrency(),
                "at most %d open at once (%d sends allowed at once), %d new connections, at most %d in one second",
                smtp.peakOpenConnections(), settings.concurrency(), connections.size(), perSecondPeak);
        run.figure(label + "drain after recovery", String.format(Locale.ROOT, "%.1f s", drain.toMillis() / 1000.0));
        // A send that timed out is not a send that did not happen: the SMTP client still holds it (mid-dialogue on a
        // hung connection, or waiting for one from its pool) and finishes it once the server answers again, while the
        // delivery is already retried. SMTP has no idempotency key, so each timed-out attempt may be one duplicate;
        // a refused connection fails at once and leaves nothing behind, so only the timeouts in each mail's error
        // history count (notification-service words them "no answer within … ms").
        long timedOut = db.count("select count(*) from notifications.delivery d, jsonb_array_elements(d.errors) failure"
                + " where d.event_id = any(?) and d.channel = 'EMAIL' and failure->>'error' like 'no answer within %'",
                eventIds);
        int bound = awaitingReply + (int) timedOut;
        run.ledger(eventIds.size() + " payment instructions, SMTP " + name, ledger::reconcile, bound,
                "mails whose reply was on its way when the server went away, and failed attempts the SMTP client may"
                        + " still finish", Duration.ofMinutes(1));
        run.figure(label + "duplicated mails, timed from the recovery", DuplicateTimes.after(system,
                eventIds.stream().map(id -> id + ".payment-instructions").collect(Collectors.toSet()), recovered));
    }

    /** Lets a periodic task finish its current run (an interrupted query would only report a failure), then stops. */
    private static void stop(ScheduledExecutorService timers) {
        timers.shutdown();
        try {
            timers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A periodic task that reports its failure and keeps running (an executor silently drops a task that throws). */
    private static Runnable guarded(ScenarioRun run, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                run.progress("a periodic task failed, next time again: %s", e);
            }
        };
    }

    private static List<UUID> publish(SystemUnderTest system, EventLedger ledger, int count) {
        List<Customer> customers = new ArrayList<>();
        List<ObjectNode> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Customer customer = system.customers().next();
            customers.add(customer);
            payloads.add(EventLedger.paymentInstructions(UUID.randomUUID(), customer));
        }
        return ledger.publish("orders", "PaymentRequested", payloads, customers).stream().map(EventLedger.Event::eventId).toList();
    }

    /** The state of the mail channel once a second: attempts made so far, and whether the breaker is open. */
    private record Sample(Instant at, long attempts, boolean breakerOpen) {
    }

    private static Sample sample(SystemUnderTest system, Db db, List<UUID> eventIds) {
        long attempts = eventIds.isEmpty() ? 0 : db.count("select coalesce(sum(attempts), 0) from notifications.delivery where event_id = any(?)"
                + " and channel = 'EMAIL'", List.copyOf(eventIds));
        boolean open = MetricsSnapshot.scrape(system.baseUrl(Service.NOTIFICATION))
                .sum("notification_breaker_open", "channel", "EMAIL") > 0;
        return new Sample(Instant.now(), attempts, open);
    }

    private static long unsentMails(Db db, List<UUID> eventIds) {
        return db.count("select count(*) from notifications.delivery where event_id = any(?) and channel = 'EMAIL'"
                + " and status <> 'SENT'", eventIds) + (eventIds.size() - db.count("select count(*) from notifications.delivery"
                + " where event_id = any(?) and channel = 'EMAIL'", eventIds));
    }

    /** How long after recovery the last mail waiting for a retry falls due (zero when none waits longer). */
    private static Duration nextRetryDue(Db db, List<UUID> eventIds, Instant recovered) {
        List<List<Object>> rows = db.rows("select max(available_at) from notifications.delivery where event_id = any(?)"
                + " and channel = 'EMAIL' and status = 'RETRY'", eventIds);
        Object latest = rows.isEmpty() ? null : rows.get(0).get(0);
        if (latest == null) {
            return Duration.ZERO;
        }
        Instant due = ((Timestamp) latest).toInstant();
        return due.isAfter(recovered) ? Duration.between(recovered, due) : Duration.ZERO;
    }

    /**
     * Each mail's failed attempts, from its error history: attempt n+1 may not fail before the backoff after
     * attempt n (half its ceiling, equal jitter) has passed, and no mail may have made more attempts than the
     * outage leaves room for.
     */
    private static void envelope(ScenarioRun run, String label, Db db, List<UUID> eventIds, Settings settings,
                                 Duration outage) {
        int roomFor = 1;
        Duration used = Duration.ZERO;
        while (used.plus(settings.ceiling(roomFor).dividedBy(2)).compareTo(outage.plus(SLACK)) <= 0) {
            used = used.plus(settings.ceiling(roomFor).dividedBy(2));
            roomFor++;
        }
        int worstAttempts = 0;
        List<String> tooSoon = new ArrayList<>();
        Map<Integer, Integer> histogram = new TreeMap<>();
        for (List<Object> row : db.rows("select event_id, attempts, errors::text from notifications.delivery"
                + " where event_id = any(?) and channel = 'EMAIL'", eventIds)) {
            int attempts = ((Number) row.get(1)).intValue();
            histogram.merge(attempts, 1, Integer::sum);
            worstAttempts = Math.max(worstAttempts, attempts);
            List<Instant> failures = failureTimes((String) row.get(2));
            for (int n = 1; n < failures.size(); n++) {
                Duration gap = Duration.between(failures.get(n - 1), failures.get(n));
                if (gap.plus(SLACK).compareTo(settings.ceiling(n).dividedBy(2)) < 0) {
                    tooSoon.add(row.get(0) + " attempt " + (n + 1) + " after " + gap.toMillis() + " ms");
                }
            }
        }
        run.check(label + "attempts inside the backoff envelope", tooSoon.isEmpty() && worstAttempts <= roomFor,
                "attempts per mail %s (at most %d fit the outage); retries sooner than the backoff: %s", histogram, roomFor,
                tooSoon.isEmpty() ? "none" : tooSoon.subList(0, Math.min(3, tooSoon.size())));
    }

    private static List<Instant> failureTimes(String errors) {
        List<Instant> times = new ArrayList<>();
        try {
            for (JsonNode entry : JSON.readTree(errors)) {
                if (entry.has("error")) {
                    times.add(OffsetDateTime.parse(entry.path("at").asText()).toInstant());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable error history: " + errors, e);
        }
        return times;
    }

    /** Once the breaker opened, attempts grow by at most the batch in flight and one probe per breaker delay. */
    private static void breakerHeld(ScenarioRun run, String label, List<Sample> samples, Settings settings) {
        Sample opened = samples.stream().filter(Sample::breakerOpen).findFirst().orElse(null);
        if (opened == null) {
            run.check(label + "the mail breaker opened", false, "never seen open in %d samples", samples.size());
            return;
        }
        Sample last = samples.get(samples.size() - 1);
        Duration open = Duration.between(opened.at(), last.at());
        long allowed = settings.concurrency() + 1 + open.toSeconds() / settings.breakerDelay().toSeconds();
        run.check(label + "attempts stopped growing once the breaker was open", last.attempts() - opened.attempts() <= allowed,
                "%d attempts before it opened, %d more in the %d s it was open (at most %d: the batch in flight and one"
                        + " probe per %d s)", opened.attempts(), last.attempts() - opened.attempts(), open.toSeconds(), allowed,
                settings.breakerDelay().toSeconds());
    }

    private static void whatsAppUnaffected(ScenarioRun run, String label, Db db, List<UUID> eventIds) {
        Latencies latencies = new Latencies();
        for (List<Object> row : db.rows("select extract(epoch from finished_at - event_created_at) from"
                + " notifications.delivery where event_id = any(?) and channel = 'WHATSAPP' and status = 'SENT'", eventIds)) {
            latencies.record(Duration.ofMillis(Math.round(((Number) row.get(0)).doubleValue() * 1000)));
        }
        run.check(label + "WhatsApp unaffected", latencies.count() == eventIds.size() && latencies.summary().p99Ms() <= 5_000,
                "%d of %d sent, commit → sent %s", latencies.count(), eventIds.size(), latencies.summary().text());
    }

    private static int peakPerSecond(List<Instant> times) {
        Map<Long, Integer> perSecond = new HashMap<>();
        times.forEach(at -> perSecond.merge(at.getEpochSecond(), 1, Integer::sum));
        return perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
