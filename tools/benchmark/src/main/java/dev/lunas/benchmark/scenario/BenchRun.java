package dev.lunas.benchmark.scenario;

import dev.lunas.benchmark.BenchSettings;
import dev.lunas.benchmark.report.Figures;
import dev.lunas.benchmark.report.Summary;
import dev.lunas.benchmark.sql.Pgbench;
import dev.lunas.benchmark.system.BenchDatabase;
import dev.lunas.benchmark.system.BenchSystem;
import dev.lunas.launcher.measure.Machine;
import dev.lunas.launcher.run.Console;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One whole run of {@code ./lunas bench}: starts the system, runs every step in order, and returns the figures. */
public final class BenchRun {

    /** A phase in which other processes took this share of the cores did not have the machine to itself. */
    private static final double DISTURBED_PERCENT = 10;

    private BenchRun() {
    }

    /**
     * @param concurrentLunasRun what is known of a {@code ./lunas run} on this machine at the same time
     */
    public static Figures.Report run(Path repository, BenchSettings settings, Optional<Pgbench> pgbench, Console console,
                                     String concurrentLunasRun) throws Exception {
        Instant started = Instant.now();
        Machine machine = Machine.describe();
        List<String> notes = new ArrayList<>();
        if (pgbench.isEmpty()) {
            notes.add(Pgbench.INSTALL_HINT);
        }
        console.info("Starting Lunas for the benchmark (workspace .lunas/bench, free ports)");
        try (BenchSystem bench = BenchSystem.start(repository, settings.smtpLatency(), settings.sendConcurrency(), console)) {
            Benchmark benchmark = new Benchmark(settings, bench, pgbench, console);
            benchmark.addFlashSalePackages();
            Figures.Startup startup = benchmark.startup();

            console.info("Capturing the SQL of a checkout, a flash-sale checkout and a pair of notifications");
            Probe checkoutSql = benchmark.probeCheckout();
            Probe flashSql = benchmark.probeFlashSale();
            Probe webhookSql = benchmark.probeWebhook();

            Optional<Pgbench.Result> checkoutBefore = benchmark.pgbench(checkoutSql, 0);
            Optional<Pgbench.Result> flashBefore = benchmark.pgbench(flashSql, 0);
            long seeds = seedsPerClient(settings, checkoutBefore, benchmark.clients(webhookSql));
            Optional<Pgbench.Result> webhookBefore = benchmark.pgbench(webhookSql, seeds);

            Figures.Checkout checkout = benchmark.checkout(checkoutSql);
            Figures.Steady steady = benchmark.notificationLatency(checkout.saturation().successesPerSecond());
            Figures.Backlog backlog = benchmark.backlog();
            Figures.FlashSale flashSale = benchmark.flashSale(flashSql);
            Figures.Webhook webhook = benchmark.webhooks(webhookSql);

            benchmark.quiet("pgbench after the application");
            Optional<Pgbench.Result> checkoutAfter = benchmark.pgbench(checkoutSql, 0);
            Optional<Pgbench.Result> flashAfter = benchmark.pgbench(flashSql, 0);
            Optional<Pgbench.Result> webhookAfter = benchmark.pgbench(webhookSql, seeds);
            startup = benchmark.withMemoryAfterLoad(startup);

            checkout = checkout.with(Benchmark.reference(checkoutSql, benchmark.clients(checkoutSql), checkoutBefore, checkoutAfter));
            flashSale = flashSale.with(Benchmark.reference(flashSql, benchmark.clients(flashSql), flashBefore, flashAfter));
            webhook = webhook.with(Benchmark.reference(webhookSql, benchmark.clients(webhookSql), webhookBefore, webhookAfter));
            notes.addAll(benchmark.notes());
            for (Figures.PhaseCpu phase : benchmark.cpuUse()) {
                if (phase.otherPercent() >= DISTURBED_PERCENT) {
                    notes.add(String.format(java.util.Locale.ROOT, "During the %s, %.0f %% of the cores' time went to other"
                            + " processes on this machine: that phase's figures are disturbed.", phase.phase(), phase.otherPercent()));
                }
            }

            Figures.Environment environment = new Figures.Environment(
                    bench.database().text(BenchDatabase.SERVICES, "select version()"), postgresSettings(bench.database()),
                    pgbench.map(Pgbench::version).orElse("not installed"), bench.jvmOptions(), benchmark.poolSizes(),
                    benchmark.peakSessions(), machine.loadAverage(), Machine.currentLoadAverage(), concurrentLunasRun);
            Figures.Notifications notifications = new Figures.Notifications(steady, backlog);
            List<Figures.Sql> sql = List.of(benchmark.sql(checkoutSql), benchmark.sql(flashSql), benchmark.sql(webhookSql));
            Figures.Report report = new Figures.Report(settings.mode(), started.toString(), Instant.now().toString(), machine,
                    environment, List.of(), startup, notifications, checkout, flashSale, webhook, benchmark.cpuUse(), sql, notes);
            return new Figures.Report(report.mode(), report.startedAt(), report.finishedAt(), machine, environment,
                    Summary.rows(report), startup, notifications, checkout, flashSale, webhook, benchmark.cpuUse(), sql, notes);
        }
    }

    /**
     * Copies of the notification's attempt each pgbench client gets: enough for the webhook SQL at six times the
     * checkout SQL's pace (it runs far fewer statements), checked afterwards (every transaction must have used one).
     */
    static long seedsPerClient(BenchSettings settings, Optional<Pgbench.Result> checkout, int clients) {
        double tps = checkout.map(Pgbench.Result::tps).orElse(0.0);
        return Math.max(2_000, (long) Math.ceil(6 * tps * settings.pgbenchDuration().toSeconds() / clients));
    }

    private static Map<String, String> postgresSettings(BenchDatabase database) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : List.of("shared_buffers", "synchronous_commit", "fsync", "max_connections", "wal_level",
                "checkpoint_timeout", "max_wal_size")) {
            settings.put(name, database.text(BenchDatabase.SERVICES, "show " + name));
        }
        return settings;
    }
}
