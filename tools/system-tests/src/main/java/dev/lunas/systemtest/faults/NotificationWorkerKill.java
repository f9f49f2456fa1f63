package dev.lunas.systemtest.faults;

import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.EventLedger;
import dev.lunas.systemtest.ledger.ReconciliationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * T3: {@code kill -9} of notification-service mid-delivery. Thousands of mails, the SMTP sink answering each
 * after ~50 ms, 16 sends at once; the worker is killed several times at random moments of the drain (and
 * restarted at once, as Kubernetes would), and stopped once with SIGTERM. Nothing may be lost; a duplicate
 * can only be a mail that was in flight when its worker died, and each such delivery must have been rescued
 * from the dead worker's lease and logged as a possible duplicate; the graceful stop makes none. No row may
 * stay SENDING longer than its lease plus one rescuer interval.
 */
final class NotificationWorkerKill extends Scenario {

    private static final Duration SINK_LATENCY = Duration.ofMillis(50);
    /** Slack on "lease + one rescue interval" for the once-a-second poll and a busy machine. */
    private static final Duration POLL_SLACK = Duration.ofSeconds(5);

    /** One kill or stop and what the dead worker held. */
    private record Stop(String kind, String workerId, long inFlight, long sentBefore, Instant at) {
    }

    NotificationWorkerKill() {
        super("T3", "kill -9 of notification-service mid-delivery");
    }

    @Override
    public Map<Service, Map<String, String>> configuration(Scale scale) {
        return scale == Scale.FULL ? Map.of() : Map.of(Service.NOTIFICATION, ShortLeases.VARIABLES);
    }

    @Override
    public void run(ScenarioRun run) {
        SystemUnderTest system = run.system();
        Db db = new Db(system);
        int messages = run.pick(300, 2_000, 5_000);
        int kills = run.pick(1, 3, 5);
        Duration lease = run.scale() == Scale.FULL ? Duration.ofMinutes(2) : ShortLeases.LEASE;
        Duration rescueInterval = run.scale() == Scale.FULL ? Duration.ofSeconds(30) : ShortLeases.RESCUE_INTERVAL;
        long seed = System.nanoTime();
        Random random = new Random(seed);
        run.figure("messages", messages);
        run.figure("SMTP sink latency", SINK_LATENCY.toMillis() + " ms");
        run.figure("lease / rescue interval", lease.toSeconds() + " s / " + rescueInterval.toSeconds() + " s");
        run.figure("random seed of the kill times", seed);

        system.smtpProxy().mailReplyLatency(SINK_LATENCY);
        EventLedger ledger = new EventLedger(system);
        List<UUID> eventIds = new ArrayList<>();
        Overdue overdue = new Overdue(db, lease, rescueInterval.plus(POLL_SLACK));
        Instant started = Instant.now();
        try (overdue) {
            run.progress("%d mails into orders.outbox, then %d kill -9 and one SIGTERM at random moments of the drain",
                    messages, kills);
            eventIds.addAll(ledger.publishExpiredOrders(messages));
            List<String> plan = new ArrayList<>(Collections.nCopies(kills, "kill -9"));
            plan.add(1 + random.nextInt(kills), "SIGTERM");
            List<Stop> stops = new ArrayList<>();
            for (String kind : plan) {
                ScenarioRun.sleep(Duration.ofMillis(700 + random.nextInt(2_300)));
                long sent = sent(db, eventIds);
                if (sent == messages) {
                    run.progress("the drain finished before the %s: not done", kind);
                    break;
                }
                String worker = DeliveryWorkers.current(system);
                if (kind.equals("SIGTERM")) {
                    system.stop(Service.NOTIFICATION);
                } else {
                    system.kill(Service.NOTIFICATION);
                }
                Stop stop = new Stop(kind, worker, DeliveryWorkers.sending(db, worker), sent, Instant.now());
                stops.add(stop);
                run.progress("%s after %d of %d sent: %d deliveries in flight left SENDING", kind, sent, messages,
                        stop.inFlight());
                system.start(Service.NOTIFICATION);
            }
            boolean drained = run.await(lease.plus(rescueInterval).plus(Duration.ofMinutes(2)), Duration.ofSeconds(1),
                    () -> sent(db, eventIds) == messages);
            Duration drain = Duration.between(started, Instant.now());
            run.check("every mail SENT after the kills", drained, "%d of %d in %.1f s", sent(db, eventIds), messages,
                    drain.toMillis() / 1000.0);
            run.figure("drain time with the kills and restarts", String.format(Locale.ROOT, "%.1f s", drain.toMillis() / 1000.0));
            judge(run, system, db, ledger, eventIds, stops, overdue);
        }
    }

    private void judge(ScenarioRun run, SystemUnderTest system, Db db, EventLedger ledger, List<UUID> eventIds,
                       List<Stop> stops, Overdue overdue) {
        List<Stop> kills = stops.stream().filter(stop -> stop.kind().equals("kill -9")).toList();
        List<Stop> graceful = stops.stream().filter(stop -> stop.kind().equals("SIGTERM")).toList();
        long bound = kills.stream().mapToLong(Stop::inFlight).sum();
        run.figure("kills (in flight at each)", kills.stream().map(stop -> String.valueOf(stop.inFlight()))
                .collect(Collectors.joining(", ", kills.size() + " (", ")")));
        run.check("the graceful stop drained its sends in flight", graceful.stream().allMatch(stop -> stop.inFlight() == 0),
                "%s", graceful.stream().map(stop -> stop.inFlight() + " left SENDING").toList());
        run.check("no delivery SENDING past its lease plus one rescuer interval", overdue.worst() == 0,
                "worst seen %d, polled every second", overdue.worst());

        ReconciliationReport report = run.ledger(eventIds.size() + " mails", ledger::reconcile, (int) bound,
                "deliveries in flight at the " + kills.size() + " kills", Duration.ofMinutes(1));
        Map<String, Long> received = system.messages().mailKeys().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<UUID> duplicated = eventIds.stream().filter(id -> received.getOrDefault(id + ".order-expired", 0L) > 1).toList();
        Map<UUID, String> rescuedFrom = rescuedFrom(db, duplicated);
        Set<String> killedWorkers = kills.stream().map(Stop::workerId).collect(Collectors.toSet());
        List<UUID> unexplained = duplicated.stream()
                .filter(id -> !killedWorkers.contains(rescuedFrom.getOrDefault(id, ""))).toList();
        run.check("each duplicate was in flight at a kill, rescued from the dead worker's lease and logged",
                unexplained.isEmpty() && unlogged(system, db, duplicated).isEmpty(),
                "%d duplicated mails, %d without a rescue from a killed worker", duplicated.size(), unexplained.size());
        Map<String, Long> perWorker = duplicated.stream().collect(Collectors.groupingBy(id -> rescuedFrom.getOrDefault(id, "?"),
                Collectors.counting()));
        run.check("no kill made more duplicates than it had in flight, the SIGTERM none",
                kills.stream().allMatch(stop -> perWorker.getOrDefault(stop.workerId(), 0L) <= stop.inFlight())
                        && graceful.stream().allMatch(stop -> perWorker.getOrDefault(stop.workerId(), 0L) == 0),
                "duplicates per stop: %s", stops.stream().map(stop -> stop.kind() + " " + perWorker.getOrDefault(stop.workerId(), 0L)
                        + "/" + stop.inFlight()).toList());
        run.figure("duplicates", report.duplicates() + " of at most " + bound);
    }

    /** Which worker each delivery was last rescued from ("lease expired: worker <id> did not finish …"). */
    private static Map<UUID, String> rescuedFrom(Db db, List<UUID> eventIds) {
        Map<UUID, String> from = new HashMap<>();
        for (List<Object> row : db.rows("select event_id, e->>'error' from notifications.delivery,"
                + " jsonb_array_elements(errors) e where event_id = any(?) and e->>'error' like 'lease expired: worker %'",
                eventIds)) {
            String error = (String) row.get(1);
            from.put((UUID) row.get(0), error.substring("lease expired: worker ".length(), error.indexOf(" did not finish")));
        }
        return from;
    }

    /** The duplicated deliveries without the DELIVERY_RESCUED warning notification-service writes for each rescued row. */
    private static List<Long> unlogged(SystemUnderTest system, Db db, List<UUID> duplicated) {
        List<Long> deliveries = db.rows("select id from notifications.delivery where event_id = any(?)", duplicated).stream()
                .map(row -> ((Number) row.get(0)).longValue()).toList();
        Set<String> logged = system.logs().records().stream()
                .filter(record -> "DELIVERY_RESCUED".equals(record.path("mdc").path("event_type").asText()))
                .map(record -> record.path("message").asText())
                .collect(Collectors.toSet());
        return deliveries.stream().filter(id -> logged.stream().noneMatch(message -> message.startsWith("Delivery " + id + " ")))
                .toList();
    }

    private static long sent(Db db, List<UUID> eventIds) {
        return db.count("select count(*) from notifications.delivery where event_id = any(?) and status = 'SENT'", eventIds);
    }

    /** Polls once a second for deliveries still SENDING longer than lease + rescue interval after their claim. */
    private static final class Overdue implements AutoCloseable {
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong worst = new AtomicLong();

        Overdue(Db db, Duration lease, Duration grace) {
            poller.scheduleAtFixedRate(() -> {
                try {
                    worst.accumulateAndGet(db.count("select count(*) from notifications.delivery where status = 'SENDING'"
                            + " and locked_until < now() - make_interval(secs => ?)", (double) grace.toSeconds()), Math::max);
                } catch (RuntimeException e) {
                    // a poll during a restart may fail; the next one counts
                }
            }, 0, 1, TimeUnit.SECONDS);
        }

        long worst() {
            return worst.get();
        }

        @Override
        public void close() {
            poller.shutdownNow();
        }
    }
}
