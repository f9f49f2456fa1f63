package dev.lunas.benchmark.scenario;

import dev.lunas.benchmark.BenchSettings;
import dev.lunas.benchmark.load.Call;
import dev.lunas.benchmark.load.ClosedLoop;
import dev.lunas.benchmark.load.LoadResult;
import dev.lunas.benchmark.load.OpenLoop;
import dev.lunas.benchmark.report.Figures;
import dev.lunas.benchmark.report.Reference;
import dev.lunas.benchmark.sql.Pgbench;
import dev.lunas.benchmark.system.BenchDatabase;
import dev.lunas.benchmark.system.BenchSystem;
import dev.lunas.benchmark.system.CpuMeter;
import dev.lunas.benchmark.system.ExistingRows;
import dev.lunas.benchmark.system.MailLog;
import dev.lunas.benchmark.system.ProcessMemory;
import dev.lunas.benchmark.system.ServiceSettings;
import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.measure.Latencies;
import dev.lunas.launcher.midtrans.MidtransSimulator;
import dev.lunas.launcher.run.Console;
import dev.lunas.launcher.run.Service;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The steps of {@code ./lunas bench}, in order, against a {@link BenchSystem}: start-up and memory, the SQL capture,
 * pgbench before, checkout, notification latency and backlog drain, the flash sale, webhooks, pgbench after.
 * Each load phase starts from a quiet system (outbox and delivery queue empty), so what it measures includes the
 * background work it causes itself but not the previous phase's.
 */
final class Benchmark {

    static final String PACKAGE = "ai-movie-course";
    static final String FLASH_SALE = "bench-flash-sale";
    /** A second limited package with the flash sale's shape, for the SQL capture, so the sale's quota stays untouched. */
    static final String FLASH_PROBE = "bench-flash-probe";
    private static final List<String> CHECKOUT_PATH = List.of("order-service", "payment-service");
    private static final List<String> WEBHOOK_PATH = List.of("payment-service");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final double WARM_GAIN = 0.05;
    private static final int MAX_IN_FLIGHT = 5_000;

    private final BenchSettings settings;
    private final BenchSystem bench;
    private final Optional<Pgbench> pgbench;
    private final Console console;
    private final BenchDatabase database;
    private final Http http = Http.forLoad(REQUEST_TIMEOUT);
    private final Queue<String> payable = new ConcurrentLinkedQueue<>();
    private final SessionSampler sessions;
    private final Path scripts;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> poolSizes = new LinkedHashMap<>();
    private final CpuMeter cpu;
    private final List<Figures.PhaseCpu> cpuUse = new ArrayList<>();
    private int pgbenchRuns;

    Benchmark(BenchSettings settings, BenchSystem bench, Optional<Pgbench> pgbench, Console console) throws Exception {
        this.settings = settings;
        this.bench = bench;
        this.pgbench = pgbench;
        this.console = console;
        this.database = bench.database();
        this.sessions = new SessionSampler(database);
        this.scripts = bench.workspace().home().resolve("pgbench");
        this.cpu = new CpuMeter(bench);
        Files.createDirectories(scripts);
        for (Service service : Service.values()) {
            poolSizes.put(service.moduleName(), ServiceSettings.reactivePoolSize(bench.workspace().serviceJar(service), System.getenv()));
        }
    }

    public List<String> notes() {
        return notes;
    }

    public Map<String, Integer> poolSizes() {
        return poolSizes;
    }

    public Map<String, Integer> peakSessions() {
        return sessions.peaks();
    }

    public List<Figures.PhaseCpu> cpuUse() {
        return cpuUse;
    }

    private void recordCpu(String phase, CpuMeter.Sample before, long requests) {
        CpuMeter.Usage usage = CpuMeter.between(before, cpu.sample(), requests);
        cpuUse.add(new Figures.PhaseCpu(phase, requests, usage.msPerRequest(), usage.machineBusyPercent(), usage.otherPercent()));
    }

    /** The limited packages of the flash sale and of its SQL capture; order-service has no API to create packages. */
    public void addFlashSalePackages() throws SQLException {
        try (Connection connection = database.connect(BenchDatabase.SERVICES);
             var insert = connection.prepareStatement("insert into orders.package (id, name, price, quota) values (?, ?, 99000, ?)")) {
            insert.setString(1, FLASH_SALE);
            insert.setString(2, "Flash sale (benchmark)");
            insert.setInt(3, settings.flashQuota());
            insert.addBatch();
            insert.setString(1, FLASH_PROBE);
            insert.setString(2, "Flash sale SQL capture (benchmark)");
            insert.setInt(3, Integer.MAX_VALUE);
            insert.addBatch();
            insert.executeBatch();
        }
    }

    // ---- start-up and memory ------------------------------------------------------------------------------------

    /**
     * Restarts all services {@code restarts} times (stopped together, started one after the other as the launcher
     * does), timing each from JVM start to readiness and reading its memory after one request. While all are
     * stopped the first time, pgbench's copy of the database is made.
     */
    public Figures.Startup startup() throws Exception {
        Map<String, Long> first = new LinkedHashMap<>();
        Map<String, List<Long>> restarts = new LinkedHashMap<>();
        Map<String, List<Double>> memory = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            first.put(service.moduleName(), bench.system().startTime(service).map(Duration::toMillis).orElse(0L));
            restarts.put(service.moduleName(), new ArrayList<>());
            memory.put(service.moduleName(), new ArrayList<>());
        }
        for (int round = 1; round <= settings.restarts(); round++) {
            console.info("Start-up " + round + " of " + settings.restarts() + ": stopping the services");
            for (int i = Service.values().length - 1; i >= 0; i--) {
                bench.system().stopService(Service.values()[i]);
            }
            if (round == 1) {
                console.info("Copying the services' database for pgbench (" + BenchDatabase.REFERENCE + ")");
                database.copyServicesDatabase(Duration.ofSeconds(30));
                database.execute(BenchDatabase.REFERENCE, "update orders.package set quota = " + Integer.MAX_VALUE
                        + " where id in ('" + FLASH_SALE + "', '" + FLASH_PROBE + "')");
            }
            for (Service service : Service.values()) {
                restarts.get(service.moduleName()).add(bench.system().startService(service).toMillis());
            }
            for (Service service : Service.values()) {
                http.get(bench.service(service).resolve("/q/health/ready"));
                memory.get(service.moduleName()).add(memory(service).map(ProcessMemory::residentMb).orElse(null));
            }
        }
        List<Figures.ServiceStartup> services = new ArrayList<>();
        for (Service service : Service.values()) {
            List<Long> times = restarts.get(service.moduleName());
            services.add(new Figures.ServiceStartup(service.moduleName(), first.get(service.moduleName()), times,
                    Stats.median(times), Stats.max(times), memory.get(service.moduleName()), null, null));
        }
        return new Figures.Startup(settings.restarts(), services);
    }

    /** Each service's memory now, and its peak since it started, added to the start-up figures. */
    public Figures.Startup withMemoryAfterLoad(Figures.Startup startup) {
        List<Figures.ServiceStartup> services = new ArrayList<>();
        for (Figures.ServiceStartup service : startup.services()) {
            Optional<ProcessMemory> now = memory(Service.named(service.service()));
            services.add(new Figures.ServiceStartup(service.service(), service.firstStartMs(), service.restartsMs(),
                    service.p50Ms(), service.maxMs(), service.residentAfterStartMb(),
                    now.map(ProcessMemory::residentMb).orElse(null), now.map(ProcessMemory::peakResidentMb).orElse(null)));
        }
        return new Figures.Startup(startup.restarts(), services);
    }

    private Optional<ProcessMemory> memory(Service service) {
        return bench.system().pid(service).stream().boxed().findFirst().flatMap(ProcessMemory::of);
    }

    // ---- SQL capture --------------------------------------------------------------------------------------------

    /** The SQL of one checkout of the regular package. */
    public Probe probeCheckout() throws Exception {
        return probeCheckout("checkout", PACKAGE);
    }

    /** The SQL of one checkout of a limited package (the flash sale's path). */
    public Probe probeFlashSale() throws Exception {
        return probeCheckout("flash sale", FLASH_PROBE);
    }

    private Probe probeCheckout(String scenario, String packageId) throws Exception {
        checkoutOnce(packageId);
        return Probe.capture(bench, scenario, CHECKOUT_PATH, Set.of(), List.of(), 1, () -> {
            String key = "bench-probe-" + UUID.randomUUID();
            HttpResponse<String> answer = http.postJsonAsync(bench.orderService().resolve("/api/orders"),
                    Checkouts.body(packageId, 0), "Idempotency-Key", key).join();
            return List.of(key, orderIdOf(answer));
        });
    }

    /** The SQL of the two notifications (pending, then settlement) of one existing payment attempt. */
    public Probe probeWebhook() throws Exception {
        settleOnce(checkoutOnce(PACKAGE));
        String order = checkoutOnce(PACKAGE);
        List<ExistingRows.Row> before = Probe.snapshot(database, order);
        return Probe.capture(bench, "webhook", WEBHOOK_PATH, Set.of(order), before, 2, () -> {
            settleOnce(order);
            return List.of(order);
        });
    }

    private String checkoutOnce(String packageId) {
        HttpResponse<String> answer = http.postJsonAsync(bench.orderService().resolve("/api/orders"),
                Checkouts.body(packageId, 0), "Idempotency-Key", "bench-probe-" + UUID.randomUUID()).join();
        return orderIdOf(answer);
    }

    private void settleOnce(String order) {
        for (String notification : bench.simulator().decideAndHandOver(order, MidtransSimulator.Outcome.SETTLEMENT)) {
            HttpResponse<String> answer = http.postJsonAsync(bench.paymentService().resolve("/webhooks/midtrans"), notification).join();
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("A probe notification was answered " + answer.statusCode() + ": " + answer.body());
            }
        }
    }

    private static String orderIdOf(HttpResponse<String> answer) {
        if (answer.statusCode() != 201 || !answer.body().contains("\"token\"")) {
            throw new IllegalStateException("A probe checkout was answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body().replaceFirst("(?s).*\"orderId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    // ---- pgbench ------------------------------------------------------------------------------------------------

    /**
     * One pgbench run of a probe's script against the database copy, with as many clients as the first service of
     * the probe's path has pool connections. Rows the probe found already there are seeded first, generously, and
     * afterwards counted: every pgbench transaction must have changed one of them. Rows the script makes are counted
     * too: every UUID-keyed table it inserts into must have gained one per transaction. A run that fails or does not
     * pass the count is reported and left out, not fatal.
     */
    public Optional<Pgbench.Result> pgbench(Probe probe, long seedsPerClient) throws Exception {
        if (pgbench.isEmpty()) {
            return Optional.empty();
        }
        int run = ++pgbenchRuns;
        int clients = clients(probe);
        Path script = scripts.resolve(probe.scenario().replace(' ', '-') + ".pgbench");
        Files.writeString(script, probe.script().text());
        List<Long> seedings = new ArrayList<>();
        try (Connection reference = database.connect(BenchDatabase.REFERENCE)) {
            for (ExistingRows.Row row : probe.existingRows()) {
                int slot = probe.script().existing().get(row.values().get(row.key()));
                seedings.add(ExistingRows.seed(reference, row, slot, run, clients, seedsPerClient));
            }
        }
        Map<String, String> variables = new LinkedHashMap<>(probe.script().variables());
        variables.put("run", String.valueOf(run));
        console.info("pgbench: " + probe.scenario() + " SQL, " + clients + " clients, " + settings.pgbenchDuration().toSeconds() + " s");
        Pgbench.Result result;
        try {
            result = pgbench.get().run(new Pgbench.Target("localhost", database.port(), BenchDatabase.REFERENCE,
                    BenchDatabase.USER, BenchDatabase.PASSWORD), script, variables, clients, settings.pgbenchDuration(), probe.script().prepared());
        } catch (IllegalStateException e) {
            notes.add("pgbench could not run the " + probe.scenario() + " SQL (" + script + "): " + e.getMessage());
            return Optional.empty();
        }
        String problem = verify(probe, run, result, seedings, seedsPerClient);
        if (problem != null) {
            notes.add("The " + probe.scenario() + " pgbench run is left out: " + problem);
            return Optional.empty();
        }
        return Optional.of(result);
    }

    /**
     * Why a pgbench run did not do the work of the captured request, or null when it did. A client that the end of
     * the run caught midway through the script may have committed its first transactions, so a count may exceed the
     * completed scripts by at most one per client.
     */
    private String verify(Probe probe, int run, Pgbench.Result result, List<Long> seedings, long seedsPerClient) throws SQLException {
        long atMost = result.transactions() + result.clients();
        try (Connection reference = database.connect(BenchDatabase.REFERENCE)) {
            for (int i = 0; i < probe.existingRows().size(); i++) {
                ExistingRows.Row row = probe.existingRows().get(i);
                long changed = ExistingRows.changed(reference, row, run, seedings.get(i));
                if (changed < result.transactions() || changed > atMost) {
                    return result.transactions() + " transactions changed " + changed + " seeded rows of " + row.table()
                            + " (" + seedsPerClient + " seeded per client)";
                }
            }
            Set<String> existingTables = new java.util.HashSet<>();
            probe.existingRows().forEach(row -> existingTables.add(row.table()));
            for (Map.Entry<String, String> table : ExistingRows.uuidKeyedTables(reference, Set.of("orders", "payments")).entrySet()) {
                if (!probe.script().tables().contains(table.getKey()) || existingTables.contains(table.getKey())) {
                    continue;
                }
                long made = ExistingRows.inRun(reference, table.getKey(), table.getValue(), run);
                if (made < result.transactions() || made > atMost) {
                    return result.transactions() + " transactions but " + made + " new rows in " + table.getKey();
                }
            }
        }
        return null;
    }

    int clients(Probe probe) {
        return poolSizes.get(probe.services().get(0));
    }

    public static String verification(Probe probe) {
        String made = "each pgbench transaction made one new row in every UUID-keyed table the SQL inserts into"
                + " (counted afterwards)";
        if (probe.existingRows().isEmpty()) {
            return made;
        }
        return made + "; each changed its own seeded copy of " + String.join(", ",
                probe.existingRows().stream().map(ExistingRows.Row::table).toList());
    }

    public static Reference reference(Probe probe, int clients, Optional<Pgbench.Result> before, Optional<Pgbench.Result> after) {
        return new Reference(clients, probe.script().prepared() ? "prepared" : "extended", probe.requests(),
                before.orElse(null), after.orElse(null), verification(probe));
    }

    // ---- notifications ------------------------------------------------------------------------------------------

    /**
     * Mails at a steady rate: checkouts at the notification rate (at most half of what the checkout saturation
     * reached, so the checkouts themselves do not queue), each causing one payment-instructions mail.
     */
    public Figures.Steady notificationLatency(double checkoutCapacity) throws Exception {
        quiet("notification latency");
        Checkouts checkouts = new Checkouts(http, bench.orderService(), payable);
        double rate = Math.max(1, Math.min(settings.notificationRate(), checkoutCapacity / 2));
        Instant from = Instant.now();
        console.info(String.format(java.util.Locale.ROOT, "Notifications: %.0f checkouts/s for %d s, each mailed through the SMTP sink",
                rate, settings.notificationDuration().toSeconds()));
        LoadResult load = new OpenLoop(rate, settings.notificationDuration(), REQUEST_TIMEOUT, MAX_IN_FLIGHT).run(checkouts.of(PACKAGE));
        Instant to = Instant.now();
        Map<String, Instant> created = eventTimes("select event_id::text, created_at from orders.outbox"
                + " where event_type = 'PaymentRequested' and created_at between ? and ?", from, to);
        Map<String, Instant> accepted = awaitMails(created.keySet(), Duration.ofSeconds(60));
        Map<String, Instant> relayed = eventTimes("select event_id::text, created_at from notifications.delivery"
                + " where channel = 'EMAIL' and event_type = 'PaymentRequested' and event_created_at between ? and ?", from, to);
        Latencies handOff = new Latencies();
        Latencies relay = new Latencies();
        Latencies send = new Latencies();
        accepted.forEach((event, at) -> {
            handOff.record(Duration.between(created.get(event), at));
            Optional.ofNullable(relayed.get(event)).ifPresent(delivery -> {
                relay.record(Duration.between(created.get(event), delivery));
                send.record(Duration.between(delivery, at));
            });
        });
        return new Figures.Steady(rate, load.seconds(), accepted.size(), load.succeeded(), handOff.summary(), relay.summary(),
                send.summary());
    }

    /**
     * A backlog: notification-service stopped, {@code backlog} checkouts made (each queues one mail), then
     * notification-service started and timed until the last of those mails is handed to the sink.
     */
    public Figures.Backlog backlog() throws Exception {
        quiet("the backlog");
        console.info("Backlog: stopping notification-service, queueing " + settings.backlog() + " mails");
        bench.system().stopService(Service.NOTIFICATION);
        Checkouts checkouts = new Checkouts(http, bench.orderService(), payable);
        LoadResult load = new ClosedLoop(settings.saturationClients(), null, settings.backlog(), REQUEST_TIMEOUT)
                .run(checkouts.of(PACKAGE));
        Map<String, Instant> queued = eventTimes("select event_id::text, created_at from orders.outbox where status = 'PENDING'"
                + " and event_type = 'PaymentRequested'");
        double ceiling = queued.size() * settings.smtpLatency().toNanos() / 1e9 / settings.sendConcurrency();
        console.info("Backlog: " + queued.size() + " mails queued; starting notification-service (SMTP-bound ceiling "
                + String.format(java.util.Locale.ROOT, "%.1f", ceiling) + " s)");
        bench.system().startService(Service.NOTIFICATION);
        Instant ready = Instant.now();
        CpuMeter.Sample before = cpu.sample();
        Map<String, Instant> accepted = awaitMails(queued.keySet(), Duration.ofSeconds(60).plus(Duration.ofMillis((long) (ceiling * 20_000))));
        recordCpu("backlog drain (per mail, from readiness)", before, accepted.size());
        Instant firstRelay = Optional.ofNullable(database.text(BenchDatabase.SERVICES, "select min(relayed_at) from orders.outbox"
                        + " where event_id in (" + quotedList(queued.keySet()) + ")"))
                .map(Benchmark::timestamp).orElse(null);
        Instant last = accepted.values().stream().max(Instant::compareTo).orElse(null);
        List<MailLog.Mail> mails = bench.mail().all().stream().filter(mail -> queued.containsKey(mail.eventId())).toList();
        long distinct = mails.stream().map(MailLog.Mail::eventId).distinct().count();
        Double drain = firstRelay == null || last == null ? null : Duration.between(firstRelay, last).toNanos() / 1e9;
        Double fromReady = last == null ? null : Duration.between(ready, last).toNanos() / 1e9;
        return new Figures.Backlog(queued.size(), settings.sendConcurrency(), settings.smtpLatency().toNanos() / 1e6, ceiling,
                drain, fromReady, drain == null ? null : ceiling / drain, distinct, queued.size() - distinct,
                mails.size() - distinct, Stats.peakOverlap(mails.stream().map(MailLog.Mail::acceptedAt).toList(), settings.smtpLatency()),
                load.seconds());
    }

    private Map<String, Instant> eventTimes(String query, Object... parameters) throws SQLException {
        Map<String, Instant> times = new LinkedHashMap<>();
        Object[] values = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            values[i] = parameters[i] instanceof Instant instant ? java.sql.Timestamp.from(instant) : parameters[i];
        }
        for (List<String> row : database.rows(BenchDatabase.SERVICES, query, values)) {
            times.put(row.get(0), timestamp(row.get(1)));
        }
        return times;
    }

    /** When each of these events' mails was accepted; waits until all are, or the patience runs out. */
    private Map<String, Instant> awaitMails(Set<String> events, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Map<String, Instant> accepted = new LinkedHashMap<>();
            for (MailLog.Mail mail : bench.mail().all()) {
                if (events.contains(mail.eventId())) {
                    accepted.putIfAbsent(mail.eventId(), mail.acceptedAt());
                }
            }
            if (accepted.size() >= events.size() || System.nanoTime() > deadline) {
                if (accepted.size() < events.size()) {
                    notes.add((events.size() - accepted.size()) + " of " + events.size() + " expected mails had not arrived after "
                            + patience.toSeconds() + " s");
                }
                return accepted;
            }
            Thread.sleep(100);
        }
    }

    private static String quotedList(Set<String> uuids) {
        return uuids.isEmpty() ? "null" : String.join(", ", uuids.stream().map(id -> "'" + id + "'::uuid").toList());
    }

    static Instant timestamp(String postgres) {
        String iso = postgres.replace(' ', 'T');
        if (iso.matches(".*[+-]\\d\\d$")) {
            iso += ":00";
        }
        return java.time.OffsetDateTime.parse(iso).toInstant();
    }

    // ---- checkout -----------------------------------------------------------------------------------------------

    /** Warm-up, the most checkouts a closed loop gets through, then an open loop at half of that. */
    public Figures.Checkout checkout(Probe probe) throws Exception {
        Checkouts checkouts = new Checkouts(http, bench.orderService(), payable);
        quiet("the checkout warm-up");
        LoadResult warmup = warmUp("Checkout", () -> checkouts.of(PACKAGE));
        quiet("the checkout saturation run");
        Map<Long, Long> callsBefore = database.statementCalls(probe.queryIds());
        console.info("Checkout saturation: " + settings.saturationClients() + " clients for " + settings.saturation().toSeconds() + " s");
        sessions.start();
        CpuMeter.Sample before = cpu.sample();
        LoadResult saturation = new ClosedLoop(settings.saturationClients(), settings.saturation(), Long.MAX_VALUE, REQUEST_TIMEOUT)
                .run(checkouts.of(PACKAGE));
        recordCpu("checkout saturation", before, saturation.succeeded());
        sessions.stop();
        quiet("the checkout open loop");
        double rate = Math.max(1, saturation.successesPerSecond() / 2);
        console.info(String.format(java.util.Locale.ROOT, "Checkout open loop: %.0f/s (half the saturation rate) for %d s",
                rate, settings.openLoop().toSeconds()));
        CpuMeter.Sample openBefore = cpu.sample();
        LoadResult openLoop = new OpenLoop(rate, settings.openLoop(), REQUEST_TIMEOUT, MAX_IN_FLIGHT).run(checkouts.of(PACKAGE));
        recordCpu("checkout open loop", openBefore, openLoop.succeeded());
        recordCalls(probe, callsBefore, saturation.succeeded() + openLoop.succeeded());
        return new Figures.Checkout(warmup, saturation, openLoop, null, null);
    }

    /**
     * Closed-loop rounds until two rounds in a row gain less than {@link #WARM_GAIN} over the best before them, or the
     * warm-up limit is reached. On 2 cores shared by three JVMs and PostgreSQL, C2 keeps compiling the request path for minutes
     * (measured: over half of each service's CPU after 100 s of load, and throughput still rising 5× after that),
     * so a fixed short warm-up would measure the compilers rather than the services.
     */
    private LoadResult warmUp(String what, Supplier<Call> calls) throws Exception {
        console.info(what + " warm-up (the services' JIT compilers): " + settings.saturationClients() + " clients in rounds of "
                + settings.warmupRound().toSeconds() + " s until two rounds in a row gain less than "
                + Math.round(WARM_GAIN * 100) + " %, at most "
                + settings.warmup().toSeconds() + " s");
        Instant limit = Instant.now().plus(settings.warmup());
        double best = 0;
        int roundsWithoutGain = 0;
        while (true) {
            LoadResult round = new ClosedLoop(settings.saturationClients(), settings.warmupRound(), Long.MAX_VALUE, REQUEST_TIMEOUT)
                    .run(calls.get());
            console.info(String.format(java.util.Locale.ROOT, "  warm-up round: %.0f/s", round.successesPerSecond()));
            if (round.successesPerSecond() >= best * (1 + WARM_GAIN)) {
                roundsWithoutGain = 0;
            } else {
                roundsWithoutGain++;
            }
            best = Math.max(best, round.successesPerSecond());
            // two rounds in a row without a real gain: one slow round alone is often a checkpoint or a GC
            if (roundsWithoutGain >= 2 || !Instant.now().plus(settings.warmupRound()).isBefore(limit)) {
                return round;
            }
        }
    }

    // ---- flash sale ---------------------------------------------------------------------------------------------

    /** Many buyers at once for one limited package; afterwards the database must show exactly the quota sold. */
    public Figures.FlashSale flashSale(Probe probe) throws Exception {
        quiet("the flash sale");
        Checkouts checkouts = new Checkouts(http, bench.orderService(), payable);
        Map<Long, Long> callsBefore = database.statementCalls(probe.queryIds());
        console.info("Flash sale: " + settings.flashBuyers() + " buyers, " + settings.flashClients() + " at a time, for "
                + settings.flashQuota() + " places");
        long start = System.nanoTime();
        sessions.start();
        CpuMeter.Sample before = cpu.sample();
        LoadResult load = new ClosedLoop(settings.flashClients(), null, settings.flashBuyers(), REQUEST_TIMEOUT)
                .run(checkouts.of(FLASH_SALE));
        sessions.stop();
        long sold = load.outcomes().getOrDefault("201", 0L) + load.outcomes().getOrDefault(Checkouts.PAID_LATER, 0L);
        long soldOut = load.outcomes().getOrDefault(Checkouts.SOLD_OUT, 0L);
        long reserved = database.number(BenchDatabase.SERVICES, "select reserved from orders.package where id = ?", FLASH_SALE);
        long orders = database.number(BenchDatabase.SERVICES, "select count(*) from orders.customer_order where package_id = ?", FLASH_SALE);
        boolean exact = sold == settings.flashQuota() && reserved == settings.flashQuota() && orders == settings.flashQuota()
                && soldOut == settings.flashBuyers() - settings.flashQuota();
        double seconds = Math.max(1e-9, (checkouts.lastSaleNanos() - start) / 1e9);
        recordCpu("flash sale (all " + load.sent() + " buyers)", before, load.sent());
        recordCalls(probe, callsBefore, sold);
        return new Figures.FlashSale(settings.flashQuota(), settings.flashBuyers(), settings.flashClients(), sold, soldOut,
                load.sent() - sold - soldOut, reserved, orders, exact, seconds, sold / seconds, load, null, null);
    }

    // ---- webhooks -----------------------------------------------------------------------------------------------

    /** Signed notifications (pending, then settlement) for the attempts the checkouts left pending. */
    public Figures.Webhook webhooks(Probe probe) throws Exception {
        quiet("the webhook warm-up");
        Webhooks webhooks = new Webhooks(http, bench.paymentService(), bench.simulator(), payable);
        warmUp("Webhook", webhooks::notifications);
        quiet("the webhook saturation run");
        Map<Long, Long> callsBefore = database.statementCalls(probe.queryIds());
        console.info("Webhook saturation: " + settings.saturationClients() + " clients for " + settings.webhookSaturation().toSeconds()
                + " s (" + webhooks.remainingOrders() + " pending attempts to settle)");
        sessions.start();
        CpuMeter.Sample before = cpu.sample();
        LoadResult saturation = new ClosedLoop(settings.saturationClients(), settings.webhookSaturation(), Long.MAX_VALUE, REQUEST_TIMEOUT)
                .run(webhooks.notifications());
        recordCpu("webhook saturation", before, saturation.succeeded());
        sessions.stop();
        quiet("the webhook open loop");
        double rate = Math.max(1, saturation.successesPerSecond() / 2);
        console.info(String.format(java.util.Locale.ROOT, "Webhook open loop: %.0f/s (half the saturation rate) for %d s, %d attempts left",
                rate, settings.webhookOpenLoop().toSeconds(), webhooks.remainingOrders()));
        LoadResult openLoop = new OpenLoop(rate, settings.webhookOpenLoop(), REQUEST_TIMEOUT, MAX_IN_FLIGHT).run(webhooks.notifications());
        if (openLoop.outcomes().containsKey("not sent (nothing left to send)")) {
            notes.add("The webhook open loop ran out of pending attempts before its end; its figures cover "
                    + openLoop.succeeded() + " notifications.");
        }
        recordCalls(probe, callsBefore, saturation.succeeded() + openLoop.succeeded());
        return new Figures.Webhook(saturation, openLoop, null, null);
    }

    // ---- bookkeeping --------------------------------------------------------------------------------------------

    private final Map<String, List<Double>> callsPerRequest = new LinkedHashMap<>();

    /** How often each statement of the probe ran per successful request while the scenario's load ran. */
    private void recordCalls(Probe probe, Map<Long, Long> before, long requests) throws SQLException {
        Map<Long, Long> after = database.statementCalls(probe.queryIds());
        List<Double> perRequest = new ArrayList<>();
        for (Long id : probe.queryIds()) {
            long calls = after.getOrDefault(id, 0L) - before.getOrDefault(id, 0L);
            perRequest.add(requests == 0 ? 0 : Math.round(calls * 1000.0 / requests * probe.requests()) / 1000.0);
        }
        callsPerRequest.put(probe.scenario(), perRequest);
    }

    /** What a scenario's SQL was, for the report. */
    public Figures.Sql sql(Probe probe) {
        List<String> texts = new ArrayList<>();
        Map<Long, Integer> counts = probe.statementCounts();
        probe.statementTexts().forEach((id, text) -> texts.add(counts.get(id) + "x " + text));
        return new Figures.Sql(probe.scenario(), probe.services(), probe.script().transactions(), probe.script().statements(),
                probe.script().prepared() ? "prepared" : "extended", texts,
                callsPerRequest.getOrDefault(probe.scenario(), List.of()), probe.script().text());
    }

    /**
     * Waits until the outbox tables and the delivery queue have nothing due, so the next phase does not pay for
     * the previous one's mails.
     */
    public void quiet(String before) throws Exception {
        long deadline = System.nanoTime() + settings.quietTimeout().toNanos();
        long started = System.nanoTime();
        long pending;
        while ((pending = pendingWork()) > 0) {
            if (System.nanoTime() > deadline) {
                notes.add(pending + " outbox rows and deliveries were still due when " + before + " began (waited "
                        + settings.quietTimeout().toSeconds() + " s)");
                return;
            }
            Thread.sleep(250);
        }
        long waited = (System.nanoTime() - started) / 1_000_000_000L;
        if (waited >= 2) {
            console.info("Waited " + waited + " s for the outbox and delivery queue to empty before " + before);
        }
    }

    private long pendingWork() throws SQLException {
        return database.number(BenchDatabase.SERVICES, "select (select count(*) from orders.outbox where status = 'PENDING')"
                + " + (select count(*) from payments.outbox where status = 'PENDING')"
                + " + (select count(*) from notifications.delivery where status in ('PENDING', 'SENDING', 'RETRY')"
                + " and available_at <= now())");
    }
}
