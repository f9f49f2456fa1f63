package dev.lunas.benchmark.system;

import dev.lunas.benchmark.sql.ServerLog;
import dev.lunas.launcher.midtrans.MidtransSimulator;
import dev.lunas.launcher.run.Console;
import dev.lunas.launcher.run.LaunchException;
import dev.lunas.launcher.run.LocalSystem;
import dev.lunas.launcher.run.Ports;
import dev.lunas.launcher.run.RunPlan;
import dev.lunas.launcher.run.Service;
import dev.lunas.launcher.run.Workspace;
import dev.lunas.launcher.sink.MailSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The system under test: the whole of Lunas started through the launcher, as {@code ./lunas run} starts it, but on
 * free ports and in its own folder ({@code .lunas/bench}, emptied first), so a person's local run and its data are
 * never touched. The database additionally keeps statement statistics and a JSON log for the SQL capture, the
 * Midtrans simulator sends no surprise duplicates, and the mail sink imitates a provider's hand-off latency and
 * reports each mail instead of keeping it.
 */
public final class BenchSystem implements AutoCloseable {

    /** Rate limits far above any load the benchmark makes (they stay on, so what they cost is measured). */
    private static final String UNREACHABLE_LIMIT = "100000000";

    private final LocalSystem system;
    private final RunPlan plan;
    private final Workspace workspace;
    private final BenchDatabase database;
    private final ServerLog serverLog;
    private final MailLog mail;
    private final List<String> jvmOptions;

    private BenchSystem(LocalSystem system, RunPlan plan, Workspace workspace, MailLog mail) {
        this.system = system;
        this.plan = plan;
        this.workspace = workspace;
        this.database = new BenchDatabase(plan.ports().postgres());
        this.serverLog = new ServerLog(serverLogFolder(workspace).resolve("postgresql.json"));
        this.mail = mail;
        this.jvmOptions = plan.serviceJvmOptions();
    }

    /**
     * Starts everything; the services' own settings stay as they are, except {@code sendConcurrency}
     * (LUNAS_NOTIFICATION_QUEUE_BATCH_SIZE, deliveries sent at once per channel), set here so the figure it bounds
     * names it.
     */
    public static BenchSystem start(Path repository, Duration smtpLatency, int sendConcurrency, Console console)
            throws InterruptedException {
        Workspace workspace = new Workspace(repository, repository.resolve(".lunas").resolve("bench"));
        deleteRecursively(workspace.home());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("LUNAS_MIDTRANS_DUPLICATE_RATE", "0");
        settings.put("LUNAS_START_TIMEOUT_SECONDS", "180");
        Optional.ofNullable(System.getenv("LUNAS_SERVICE_JAVA_OPTS")).ifPresent(options -> settings.put("LUNAS_SERVICE_JAVA_OPTS", options));
        RunPlan plan = RunPlan.from(settings, Ports.free())
                .withServiceEnvironment(Map.of("LUNAS_NOTIFICATION_QUEUE_BATCH_SIZE", String.valueOf(sendConcurrency),
                        // the load comes from one address and a few emails: the limits stay on, so their cost is
                        // measured as in production, but far above what the load can reach
                        "LUNAS_RATE_LIMIT_RULES_CHECKOUT_ADDRESS_LIMIT", UNREACHABLE_LIMIT,
                        "LUNAS_RATE_LIMIT_RULES_CHECKOUT_EMAIL_LIMIT", UNREACHABLE_LIMIT,
                        "LUNAS_RATE_LIMIT_RULES_WEBHOOK_ADDRESS_LIMIT", UNREACHABLE_LIMIT));
        MailLog mail = new MailLog();
        LocalSystem system = LocalSystem.builder(plan, workspace, console)
                .echo(false)
                .events(false)
                .agentJar(workspace.parentWatchAgent())
                .databaseSetting("shared_preload_libraries", "pg_stat_statements")
                .databaseSetting("logging_collector", "on")
                .databaseSetting("log_destination", "jsonlog")
                .databaseSetting("log_directory", serverLogFolder(workspace).toString())
                .databaseSetting("log_filename", "postgresql.log")
                .databaseSetting("log_rotation_age", "0")
                .databaseSetting("log_rotation_size", "0")
                .mail(new MailSink.Options(smtpLatency, false, mail::accepted))
                .readinessPoll(Duration.ofMillis(50))
                .build();
        BenchSystem bench = new BenchSystem(system, plan, workspace, mail);
        // Ctrl-C: stop the services and the database rather than leave them to the parent watch and zonky's own hook
        Runtime.getRuntime().addShutdownHook(new Thread(system::close, "bench-stop"));
        boolean started = false;
        try {
            if (!system.start()) {
                throw new LaunchException("The system did not start");
            }
            bench.database.execute(BenchDatabase.SERVICES, "create extension if not exists pg_stat_statements");
            started = true;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot prepare the benchmark database: " + e.getMessage(), e);
        } finally {
            if (!started) {
                system.close();
            }
        }
        return bench;
    }

    private static Path serverLogFolder(Workspace workspace) {
        return workspace.logs().resolve("postgres-statements");
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot empty " + folder + " for a fresh benchmark run", e);
        }
    }

    public LocalSystem system() {
        return system;
    }

    public BenchDatabase database() {
        return database;
    }

    public ServerLog serverLog() {
        return serverLog;
    }

    public MailLog mail() {
        return mail;
    }

    public Workspace workspace() {
        return workspace;
    }

    public List<String> jvmOptions() {
        return jvmOptions;
    }

    public MidtransSimulator simulator() {
        return system.midtransSimulator().orElseThrow(() -> new IllegalStateException("The Midtrans simulator is not running"));
    }

    public URI orderService() {
        return URI.create("http://localhost:" + plan.ports().orderService());
    }

    public URI paymentService() {
        return URI.create("http://localhost:" + plan.ports().paymentService());
    }

    public URI notificationService() {
        return URI.create("http://localhost:" + plan.ports().notificationService());
    }

    public URI service(Service service) {
        return URI.create("http://localhost:" + plan.ports().service(service));
    }

    @Override
    public void close() {
        system.close();
    }
}
