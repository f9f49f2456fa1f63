package dev.lunas.systemtest.harness;

import dev.lunas.launcher.fault.FaultProxy;
import dev.lunas.launcher.midtrans.MidtransSimulator;
import dev.lunas.launcher.midtrans.SimulatorSettings;
import dev.lunas.launcher.run.Console;
import dev.lunas.launcher.run.Database;
import dev.lunas.launcher.run.DatabaseRoles;
import dev.lunas.launcher.run.EmbeddedDatabase;
import dev.lunas.launcher.run.LaunchException;
import dev.lunas.launcher.run.LocalSystem;
import dev.lunas.launcher.run.Ports;
import dev.lunas.launcher.run.RunPlan;
import dev.lunas.launcher.run.Service;
import dev.lunas.launcher.run.ServiceProcess;
import dev.lunas.launcher.run.Workspace;
import dev.lunas.launcher.sink.Outbox;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The whole of Lunas on this machine, as production runs it, started by the launcher's {@link LocalSystem}: the
 * packaged services as separate JVMs in the production profile (JSON logs, every secret from its environment
 * variable, generated per run, nothing inherited from this JVM's environment), one PostgreSQL, and the launcher's
 * stand-ins for the outside world: the Midtrans simulator (Snap, Get Status, signed notifications to
 * payment-service's webhook), an SMTP sink and a fake WhatsApp Cloud API. Everything listens on free loopback ports;
 * each run gets its own folder for logs, caught messages and a journal of what the harness and the stand-ins did.
 *
 * <p>Controls stop, start, kill and restart single services; a service keeps its port across restarts, as a pod
 * keeps its address behind a Kubernetes service.
 */
public final class SystemUnderTest implements AutoCloseable {

    public static final String WEBHOOK_PATH = "/webhooks/midtrans";
    public static final String COURSE_ACCESS_URL = "https://kelas.lunas.test/masuk";
    public static final String SUPPORT_WHATSAPP_URL = "https://wa.me/6281100000000";
    public static final String ALERT_EMAIL = "ops@lunas.test";
    public static final String MAIL_FROM = "Lunas <no-reply@lunas.test>";
    /** The schemas the services own; notification-service also reads the outbox tables of the first two. */
    public static final List<String> SCHEMAS = List.of("orders", "payments", "notifications");
    /**
     * Small heaps, the serial collector and the C1 compiler only: three service JVMs, PostgreSQL and the tests
     * share two cores, where start-up and short runs matter more than peak throughput.
     */
    private static final String JVM_OPTIONS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    /** Three JVMs starting at once on two busy cores take tens of seconds; a minute more is headroom, not hope. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** Production: readiness drops for 5 s, then up to 20 s for requests and 20 s for notification sends. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final String LOOPBACK = "http://127.0.0.1:";
    private static final String WHATSAPP_PHONE_NUMBER_ID = "100000000000042";
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("'run-'yyyyMMdd-HHmmss-SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Path runDirectory;
    private final Path repository;
    private final String paymentsToken = secret("sut-payments-");
    private final String relayToken = secret("sut-relay-");
    private final String entitlementsToken = secret("sut-entitlements-");
    private final String adminToken = secret("sut-admin-");
    private final String midtransServerKey = secret("SB-Mid-server-sut-");
    private final PrintStream journalFile;
    private final Console journal;
    private final LocalSystem system;
    private final Map<Service, Map<String, String>> settingsEnvironment;
    private final Map<Service, Map<String, String>> overrides = new EnumMap<>(Service.class);
    private final Customers customers = new Customers();
    private final CapturedMessages messages;
    /** Whether the services run on a database the settings named, which is used as it is. */
    private final boolean givenDatabase;

    private SystemUnderTest(SystemSettings settings) {
        this.runDirectory = settings.workDirectory.resolve(RUN_NAME.format(Instant.now()));
        this.repository = settings.repository;
        try {
            Files.createDirectories(runDirectory);
            journalFile = new PrintStream(Files.newOutputStream(runDirectory.resolve("harness-events.log")), true,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write into " + runDirectory, e);
        }
        this.journal = new Console(journalFile, DateTimeFormatter.ISO_INSTANT);
        this.settingsEnvironment = settings.extraEnvironment;
        this.givenDatabase = settings.database.isPresent();
        Workspace workspace = new Workspace(settings.repository, runDirectory);
        this.messages = new CapturedMessages(new Outbox(workspace.outbox()));
        LocalSystem.Builder builder = LocalSystem.builder(plan(settings.database), workspace, journal)
                .profile("prod")
                .inheritEnvironment(false)
                .echo(false)
                .agentJar(settings.parentWatchAgent.or(workspace::parentWatchAgent))
                .services(settings.services)
                .durability(settings.crashSafeDatabase ? EmbeddedDatabase.Durability.CRASH_SAFE : EmbeddedDatabase.Durability.NONE)
                // room for every service's pools across restarts, and the harness's own connections
                .databaseSetting("max_connections", "200")
                .smtpFaults(settings.smtpFaults)
                .midtrans(simulator -> simulator.publicHost("127.0.0.1").retryDelays(SimulatorSettings.COMPRESSED_RETRY_DELAYS))
                .logFiles(ServiceProcess.LogFiles.ONE_PER_START)
                .parallelStart(true)
                .readinessPoll(Duration.ofMillis(250))
                .stopGrace(STOP_GRACE)
                .rolesOnExternalDatabase(givenDatabase);
        settings.replicas.forEach(builder::replicas);
        settings.extraEnvironment.forEach((service, variables) -> variables.forEach((name, value) -> builder.environment(service, name, value)));
        this.system = builder.build();
    }

    /** The production configuration (docs/architecture.md's table), filled in with this run's stand-ins and secrets. */
    private RunPlan plan(Optional<Database> given) {
        Map<String, String> launcher = new LinkedHashMap<>();
        launcher.put("LUNAS_SERVICE_JAVA_OPTS", JVM_OPTIONS);
        launcher.put("LUNAS_START_TIMEOUT_SECONDS", String.valueOf(START_TIMEOUT.toSeconds()));
        launcher.put("LUNAS_MIDTRANS_DUPLICATE_RATE", "0");
        given.or(SystemUnderTest::externalDatabase).ifPresent(database -> launcher.putAll(database.settings()));
        Ports ports = Ports.free();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("ORDER_SERVICE_URL", LOOPBACK + ports.orderService());
        env.put("PAYMENT_SERVICE_URL", LOOPBACK + ports.paymentService());
        env.put("LUNAS_PAYMENTS_TOKEN", paymentsToken);
        env.put("LUNAS_RELAY_TOKEN", relayToken);
        env.put("LUNAS_ENTITLEMENTS_TOKEN", entitlementsToken);
        env.put("LUNAS_RESULT_SIGNING_KEY", secret("sut-results-"));
        env.put("LUNAS_ADMIN_TOKEN", adminToken);
        env.put("MIDTRANS_SERVER_KEY", midtransServerKey);
        env.put("MIDTRANS_CLIENT_KEY", "SB-Mid-client-systest");
        env.put("MIDTRANS_SNAP_BASE_URL", LOOPBACK + ports.midtransSimulator());
        env.put("MIDTRANS_API_BASE_URL", LOOPBACK + ports.midtransSimulator());
        env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        env.put("QUARKUS_MAILER_FROM", MAIL_FROM);
        env.put("WHATSAPP_API_URL", LOOPBACK + ports.messages());
        env.put("WHATSAPP_TOKEN", secret("systest-whatsapp-"));
        env.put("WHATSAPP_PHONE_NUMBER_ID", WHATSAPP_PHONE_NUMBER_ID);
        // the launcher's demo storefront (tools/storefront/web) on its own free port is this run's storefront
        env.put("STOREFRONT_ORIGIN", LOOPBACK + ports.storefront());
        env.put("COURSE_ACCESS_URL", COURSE_ACCESS_URL);
        env.put("SUPPORT_WHATSAPP_URL", SUPPORT_WHATSAPP_URL);
        env.put("ALERT_EMAIL", ALERT_EMAIL);
        // the watchdog looks every two seconds, so a test sees its mails without waiting minutes
        env.put("LUNAS_WATCHDOG_INTERVAL", "2s");
        // every request of the tests and the fault suite comes from this one address: rate limits off, explicitly
        env.put("LUNAS_RATE_LIMIT_ENABLED", "false");
        return RunPlan.from(launcher, ports).withServiceEnvironment(env);
    }

    /** The PostgreSQL named by {@value SystemSettings#EXTERNAL_DATABASE_VARIABLE}, if one is. */
    private static Optional<Database> externalDatabase() {
        if (SystemSettings.embeddedDatabase()) {
            return Optional.empty();
        }
        return Optional.of(new Database(System.getenv(SystemSettings.EXTERNAL_DATABASE_VARIABLE),
                envOr("LUNAS_TEST_DATABASE_USERNAME", "postgres"), envOr("LUNAS_TEST_DATABASE_PASSWORD", "postgres"),
                Optional.empty()));
    }

    /**
     * Starts everything and returns once every service answers ready.
     *
     * @throws HarnessException when a service jar is not built, or something does not start (the message
     *                          quotes the end of the failing service's log)
     */
    public static SystemUnderTest start(SystemSettings settings) {
        SystemUnderTest sut = new SystemUnderTest(settings);
        try {
            if (!SystemSettings.embeddedDatabase() && !sut.givenDatabase) {
                sut.dropLunasSchemas();
            }
            waiting("starting the system", sut.system::start);
            return sut;
        } catch (LaunchException e) {
            sut.close();
            throw new HarnessException(e.getMessage(), e);
        } catch (RuntimeException e) {
            sut.close();
            throw e;
        }
    }

    /** An external database starts every run empty: the services' schemas are dropped. */
    private void dropLunasSchemas() {
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("drop schema if exists " + String.join(", ", SCHEMAS) + " cascade");
        } catch (SQLException e) {
            throw new HarnessException("Cannot clear the Lunas schemas of " + database().jdbcUrl(), e);
        }
    }

    // ---- controls ------------------------------------------------------------------------------------------

    /** Graceful stop (SIGTERM), waiting until the JVM has exited; a JVM that outlives the grace period is killed and reported. */
    public void stop(Service service) {
        note("stopping " + service + " (SIGTERM)");
        if (!system.stopService(service)) {
            throw new HarnessException(service + " did not stop within " + STOP_GRACE.toSeconds() + " s of SIGTERM and was killed");
        }
    }

    /** Starts a stopped or killed service again, on the same port, and waits until it is ready. */
    public void start(Service service) {
        note("starting " + service);
        waiting("starting " + service, () -> system.startService(service));
    }

    /** {@code kill -9}: no shutdown hook, no drain, requests in flight are cut off. */
    public void kill(Service service) {
        note("killing " + service + " (SIGKILL)");
        waiting("killing " + service, () -> system.killService(service));
    }

    /**
     * Starts one more JVM of a service on a free port of its own (a rolling deploy's new pod) and waits until it is
     * ready; it does not answer on the service's port, which stays its first replica's.
     */
    public ServiceProcess startInstance(Service service) {
        note("starting one more instance of " + service);
        ServiceProcess[] started = new ServiceProcess[1];
        waiting("starting an instance of " + service, () -> started[0] = system.startInstance(service));
        note("started " + started[0].name() + " on port " + started[0].port());
        return started[0];
    }

    /**
     * Stops one instance for good with SIGTERM, waiting until it has exited (a rolling deploy ending an old pod);
     * {@link #ensureRunning} leaves it down.
     *
     * @throws HarnessException when it outlived the grace period and was killed
     */
    public void retire(ServiceProcess instance) {
        note("retiring " + instance.name() + " (SIGTERM)");
        if (!system.retire(instance)) {
            throw new HarnessException(instance.name() + " did not stop within " + STOP_GRACE.toSeconds()
                    + " s of SIGTERM and was killed");
        }
    }

    public void restart(Service service) {
        stop(service);
        start(service);
    }

    /**
     * Restarts the service (SIGTERM, then start) with these environment variables on top of the production
     * wiring, replacing earlier ones; nothing happens when they are already the ones in force. An empty map
     * brings the service back to the plain wiring.
     */
    public void reconfigure(Service service, Map<String, String> variables) {
        if (overrides.getOrDefault(service, Map.of()).equals(variables) && system.process(service).isRunning()) {
            return;
        }
        note("reconfiguring " + service + " with " + variables);
        stop(service);
        Map<String, String> environment = new LinkedHashMap<>(settingsEnvironment.getOrDefault(service, Map.of()));
        environment.putAll(variables);
        system.environment(service, environment);
        overrides.put(service, Map.copyOf(variables));
        start(service);
    }

    /** Writes a line into the run's harness-events.log, beside what the simulator and the sinks did. */
    public void note(String line) {
        journal.info(line);
    }

    /** Starts whatever an earlier scenario left stopped, so the next one finds the whole system up. */
    public void ensureRunning() {
        waiting("starting the services", system::ensureRunning);
    }

    // ---- accessors -----------------------------------------------------------------------------------------

    public URI baseUrl(Service service) {
        return process(service).baseUrl();
    }

    /** The JVM of a service (its first replica). */
    public ServiceProcess process(Service service) {
        return system.process(service);
    }

    /** The JVMs of a service, one per replica. */
    public List<ServiceProcess> replicas(Service service) {
        return system.processes(service);
    }

    /**
     * The demo storefront the launcher serves for this run (tools/storefront/web): the origin order-service allows
     * (CORS) and Snap sends customers back to ({@code /payment/finish}).
     */
    public URI storefrontOrigin() {
        return URI.create(LOOPBACK + system.ports().storefront());
    }

    public Storefront storefront() {
        return new Storefront(baseUrl(Service.ORDER), entitlementsToken);
    }

    /** Makes this run's customers, each with contact data of their own, and remembers them. */
    public Customers customers() {
        return customers;
    }

    /** host:port of the SMTP server the services send to (the mail sink, or the fault proxy in front of it). */
    public String smtpAddress() {
        return "localhost:" + system.ports().smtp();
    }

    public Database database() {
        return system.database();
    }

    /** A new JDBC connection to the shared database as its superuser (the caller closes it). */
    public Connection connect() {
        return database().connect();
    }

    /** A new JDBC connection logged in as one of production's roles (the caller closes it); see {@link #runsAsRoles}. */
    public Connection connectAs(String role) {
        return database().as(role, DatabaseRoles.localPassword(role)).connect();
    }

    /**
     * Whether the services log in as production's database roles (deploy/db/init.sql), as they do on the embedded
     * database; on an external one ({@value SystemSettings#EXTERNAL_DATABASE_VARIABLE}) they use its credentials.
     */
    public boolean runsAsRoles() {
        return system.runsAsRoles();
    }

    public MidtransSimulator simulator() {
        return system.midtransSimulator().orElseThrow(() -> new HarnessException("The Midtrans simulator is not running"));
    }

    /**
     * Posts a body to payment-service's Midtrans webhook as Midtrans's notification engine would (JSON, no
     * authentication): for replays and forgeries the simulator would never send by itself.
     */
    public HttpAnswer notifyPaymentService(String body) {
        return HttpAnswer.post(baseUrl(Service.PAYMENT).resolve(WEBHOOK_PATH), "application/json", body,
                "User-Agent", "Veritrans");
    }

    /** The server key the simulator and payment-service share: it signs notifications. */
    public String midtransServerKey() {
        return midtransServerKey;
    }

    public CapturedMessages messages() {
        return messages;
    }

    /** Whether notification-service reaches the SMTP sink through a {@link FaultProxy}. */
    public boolean hasSmtpProxy() {
        return system.smtpProxy().isPresent();
    }

    /**
     * The proxy notification-service reaches the SMTP sink through.
     *
     * @throws HarnessException unless the system was started with {@link SystemSettings.Builder#smtpFaults}
     */
    public FaultProxy smtpProxy() {
        return system.smtpProxy().orElseThrow(() ->
                new HarnessException("This system was started without SMTP faults (SystemSettings.smtpFaults)"));
    }

    public ServiceLogs logs() {
        return new ServiceLogs(system.logFiles());
    }

    /** order-service's credential at payment-service. */
    public String paymentsToken() {
        return paymentsToken;
    }

    /** notification-service's credential at order-service. */
    public String relayToken() {
        return relayToken;
    }

    public String adminToken() {
        return adminToken;
    }

    /** This run's folder: {@code logs/} (the services' and PostgreSQL's), {@code outbox/} (caught mail and WhatsApp). */
    /** The repository the services were built in (its deploy/ and docs/ files are what the tests check). */
    public Path repository() {
        return repository;
    }

    public Path runDirectory() {
        return runDirectory;
    }

    /**
     * Puts a package on sale, as an operator does (the catalogue has no API; its rows come from migrations).
     *
     * @param quota places for sale, or null for unlimited
     */
    public void addPackage(String id, String name, long price, Integer quota) {
        try (Connection connection = connect();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into orders.package (id, name, price, quota) values (?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, name);
            insert.setLong(3, price);
            insert.setObject(4, quota);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new HarnessException("Cannot add package " + id, e);
        }
    }

    /** Stops the services (SIGTERM, all at once), the stand-ins and the database; never throws. */
    @Override
    public void close() {
        system.close();
        journalFile.close();
    }

    /** Something of the runner's that waits (for a JVM to be ready, or gone). */
    private interface Waiting {
        void run() throws InterruptedException;
    }

    /** Runs {@code action}; an interrupt ends it as a {@link HarnessException}, the thread's interrupt flag set again. */
    private static void waiting(String what, Waiting action) {
        try {
            action.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted while " + what, e);
        }
    }

    private static String secret(String prefix) {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return prefix + HexFormat.of().formatHex(random);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
