package dev.lunas.systemtest.harness;

import dev.lunas.launcher.http.PortProbe;
import dev.lunas.launcher.midtrans.MidtransSimulator;
import dev.lunas.launcher.midtrans.SimulatorSettings;
import dev.lunas.launcher.sink.MailSink;
import dev.lunas.launcher.sink.Outbox;
import dev.lunas.launcher.sink.OutboxServer;
import dev.lunas.launcher.sink.WhatsAppGateway;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The whole of Lunas on this machine, as production runs it: the three packaged services as separate JVMs
 * in the production profile (JSON logs, every secret from its environment variable), one PostgreSQL, and
 * in-process stand-ins for the outside world: the Midtrans simulator (Snap, Get Status, signed notifications
 * to payment-service's webhook), an SMTP sink and a fake WhatsApp Cloud API. Everything listens on free
 * loopback ports; each run gets its own folder for logs and caught messages.
 *
 * <p>Controls stop, start, kill and restart single services; a service keeps its port across restarts, as
 * a pod keeps its address behind a Kubernetes service.
 */
public final class SystemUnderTest implements AutoCloseable {

    public static final String WEBHOOK_PATH = "/webhooks/midtrans";
    public static final String COURSE_ACCESS_URL = "https://kelas.lunas.test/masuk";
    public static final String SUPPORT_WHATSAPP_URL = "https://wa.me/6281100000000";
    public static final String STOREFRONT_ORIGIN = "https://toko.lunas.test";
    public static final String ALERT_EMAIL = "ops@lunas.test";
    public static final String MAIL_FROM = "Lunas <no-reply@lunas.test>";
    private static final String WHATSAPP_PHONE_NUMBER_ID = "100000000000042";
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("'run-'yyyyMMdd-HHmmss-SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final SystemSettings settings;
    private final Path runDirectory;
    private final String paymentsToken = secret("sut-payments-");
    private final String relayToken = secret("sut-relay-");
    private final String entitlementsToken = secret("sut-entitlements-");
    private final String resultSigningKey = secret("sut-results-");
    private final String adminToken = secret("sut-admin-");
    private final String midtransServerKey = secret("SB-Mid-server-sut-");
    private final String whatsAppToken = secret("systest-whatsapp-");
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<Service, ServiceProcess> services = new EnumMap<>(Service.class);
    private final RunJournal events;
    private final Customers customers = new Customers();
    private Database database;
    private MidtransSimulator simulator;
    private CapturedMessages messages;
    private FaultProxy smtpProxy;

    private SystemUnderTest(SystemSettings settings) {
        this.settings = settings;
        this.runDirectory = settings.workDirectory.resolve(RUN_NAME.format(Instant.now()));
        this.events = new RunJournal(runDirectory.resolve("harness-events.log"));
    }

    /**
     * Starts everything and returns once every service answers ready.
     *
     * @throws HarnessException when a service jar is not built, or something does not start (the message
     *                          quotes the end of the failing service's log)
     */
    public static SystemUnderTest start(SystemSettings settings) {
        Map<Service, Path> jars = packagedJars(settings.repository);
        SystemUnderTest system = new SystemUnderTest(settings);
        try {
            system.startAll(jars);
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private static Map<Service, Path> packagedJars(Path repository) {
        Map<Service, Path> jars = new EnumMap<>(Service.class);
        List<String> missing = new ArrayList<>();
        for (Service service : Service.values()) {
            ServiceProcess.runJar(repository, service).ifPresentOrElse(jar -> jars.put(service, jar),
                    () -> missing.add(service.moduleName()));
        }
        if (!missing.isEmpty()) {
            throw new HarnessException("Not packaged: " + String.join(", ", missing) + " (no target/quarkus-app/quarkus-run.jar"
                    + " under " + repository + "). Build them first: ./mvnw -B -q package -DskipTests -pl "
                    + String.join(",", missing));
        }
        return jars;
    }

    private void startAll(Map<Service, Path> jars) {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, PortProbe.freeListenPort());
        }
        database = track(Database.start(runDirectory.resolve("postgresql.log"), settings.crashSafeDatabase));

        Outbox outbox = new Outbox(runDirectory.resolve("outbox"));
        MailSink mailSink = track(MailSink.start(0, outbox, events));
        OutboxServer whatsApp = track(OutboxServer.start(0, outbox,
                new WhatsAppGateway(whatsAppToken, WHATSAPP_PHONE_NUMBER_ID, outbox, events)));
        messages = new CapturedMessages(outbox);
        int smtpPort = mailSink.port();
        if (settings.smtpFaults) {
            smtpProxy = track(FaultProxy.start("SMTP", mailSink.port(), events));
            smtpPort = smtpProxy.port();
        }

        URI webhook = URI.create("http://127.0.0.1:" + ports.get(Service.PAYMENT) + WEBHOOK_PATH);
        simulator = track(MidtransSimulator.start(SimulatorSettings.builder(midtransServerKey, webhook)
                .publicHost("127.0.0.1")
                .retryDelays(settings.notificationRetries)
                .events(events)
                .build()));

        Map<String, String> shared = sharedEnvironment(ports, smtpPort, whatsApp.port());
        for (Service service : Service.values()) {
            Map<String, String> environment = new LinkedHashMap<>(shared);
            environment.put("QUARKUS_HTTP_PORT", String.valueOf(ports.get(service)));
            environment.putAll(settings.extraEnvironment.getOrDefault(service, Map.of()));
            services.put(service, new ServiceProcess(service, ports.get(service), jars.get(service),
                    runDirectory.resolve("logs"), environment, jvmOptions()));
        }
        startInParallel(List.of(Service.values()));
    }

    /**
     * What every packaged service started by a test gets, whatever else it is told: the few variables a JVM needs
     * from this one, the profile, loopback only, and the database; nothing else of this JVM's environment.
     */
    public static Map<String, String> baseEnvironment(String profile, Database database) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String inherited : List.of("PATH", "HOME", "TMPDIR", "LANG")) {
            String value = System.getenv(inherited);
            if (value != null) {
                env.put(inherited, value);
            }
        }
        env.put("QUARKUS_PROFILE", profile);
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", database.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", database.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        return env;
    }

    /** The configuration table of docs/architecture.md, filled in with this run's stand-ins and secrets. */
    private Map<String, String> sharedEnvironment(Map<Service, Integer> ports, int smtpPort, int whatsAppPort) {
        Map<String, String> env = baseEnvironment("prod", database);
        env.put("ORDER_SERVICE_URL", "http://127.0.0.1:" + ports.get(Service.ORDER));
        env.put("PAYMENT_SERVICE_URL", "http://127.0.0.1:" + ports.get(Service.PAYMENT));
        env.put("LUNAS_PAYMENTS_TOKEN", paymentsToken);
        env.put("LUNAS_RELAY_TOKEN", relayToken);
        env.put("LUNAS_ENTITLEMENTS_TOKEN", entitlementsToken);
        env.put("LUNAS_RESULT_SIGNING_KEY", resultSigningKey);
        env.put("LUNAS_ADMIN_TOKEN", adminToken);
        env.put("MIDTRANS_SERVER_KEY", midtransServerKey);
        env.put("MIDTRANS_CLIENT_KEY", "SB-Mid-client-systest");
        env.put("MIDTRANS_SNAP_BASE_URL", simulator.baseUrl().toString());
        env.put("MIDTRANS_API_BASE_URL", simulator.baseUrl().toString());
        env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        env.put("QUARKUS_MAILER_PORT", String.valueOf(smtpPort));
        env.put("QUARKUS_MAILER_FROM", MAIL_FROM);
        env.put("QUARKUS_MAILER_TLS", "false");
        env.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        env.put("QUARKUS_MAILER_MOCK", "false");
        env.put("WHATSAPP_API_URL", "http://127.0.0.1:" + whatsAppPort);
        env.put("WHATSAPP_TOKEN", whatsAppToken);
        env.put("WHATSAPP_PHONE_NUMBER_ID", WHATSAPP_PHONE_NUMBER_ID);
        env.put("STOREFRONT_ORIGIN", STOREFRONT_ORIGIN);
        env.put("COURSE_ACCESS_URL", COURSE_ACCESS_URL);
        env.put("SUPPORT_WHATSAPP_URL", SUPPORT_WHATSAPP_URL);
        env.put("ALERT_EMAIL", ALERT_EMAIL);
        // every request of the tests and the fault suite comes from this one address: rate limits off, explicitly
        env.put("LUNAS_RATE_LIMIT_ENABLED", "false");
        return env;
    }

    private List<String> jvmOptions() {
        List<String> options = new ArrayList<>(settings.jvmOptions);
        settings.parentWatchAgent.ifPresent(agent ->
                options.add("-javaagent:" + agent + "=" + ProcessHandle.current().pid()));
        return options;
    }

    private void startInParallel(List<Service> which) {
        ExecutorService starters = Executors.newFixedThreadPool(which.size());
        try {
            List<Future<?>> starting = new ArrayList<>();
            for (Service service : which) {
                starting.add(starters.submit(() -> services.get(service).start(settings.startTimeout)));
            }
            for (Future<?> start : starting) {
                try {
                    start.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException runtime ? runtime
                            : new HarnessException("A service did not start", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HarnessException("Interrupted while starting the services", e);
                }
            }
        } finally {
            starters.shutdownNow();
        }
    }

    // ---- controls ------------------------------------------------------------------------------------------

    /** Graceful stop (SIGTERM), waiting until the JVM has exited. */
    public void stop(Service service) {
        events.accept("stopping " + service + " (SIGTERM)");
        services.get(service).stop(settings.stopGrace);
    }

    /** Starts a stopped or killed service again, on the same port, and waits until it is ready. */
    public void start(Service service) {
        events.accept("starting " + service);
        services.get(service).start(settings.startTimeout);
    }

    /** {@code kill -9}: no shutdown hook, no drain, requests in flight are cut off. */
    public void kill(Service service) {
        events.accept("killing " + service + " (SIGKILL)");
        services.get(service).kill();
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
    public void reconfigure(Service service, Map<String, String> overrides) {
        ServiceProcess process = services.get(service);
        if (process.overrides().equals(overrides) && process.isRunning()) {
            return;
        }
        events.accept("reconfiguring " + service + " with " + overrides);
        stop(service);
        process.overrides(overrides);
        start(service);
    }

    /** Writes a line into the run's harness-events.log, beside what the simulator and the sinks did. */
    public void note(String line) {
        events.accept(line);
    }

    /** Starts whatever an earlier scenario left stopped, so the next one finds the whole system up. */
    public void ensureRunning() {
        List<Service> down = services.values().stream().filter(process -> !process.isRunning())
                .map(ServiceProcess::service).toList();
        if (!down.isEmpty()) {
            events.accept("starting what is down: " + down);
            startInParallel(down);
        }
    }

    // ---- accessors -----------------------------------------------------------------------------------------

    public URI baseUrl(Service service) {
        return services.get(service).baseUrl();
    }

    public ServiceProcess process(Service service) {
        return services.get(service);
    }

    public Storefront storefront() {
        return new Storefront(baseUrl(Service.ORDER), entitlementsToken);
    }

    /** Makes this run's customers, each with contact data of their own, and remembers them. */
    public Customers customers() {
        return customers;
    }

    public Database database() {
        return database;
    }

    /** A new JDBC connection to the shared database (the caller closes it). */
    public Connection connect() {
        return database.connect();
    }

    public MidtransSimulator simulator() {
        return simulator;
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
        return smtpProxy != null;
    }

    /**
     * The proxy notification-service reaches the SMTP sink through.
     *
     * @throws HarnessException unless the system was started with {@link SystemSettings.Builder#smtpFaults}
     */
    public FaultProxy smtpProxy() {
        if (smtpProxy == null) {
            throw new HarnessException("This system was started without SMTP faults (SystemSettings.smtpFaults)");
        }
        return smtpProxy;
    }

    public ServiceLogs logs() {
        List<Path> files = new ArrayList<>();
        services.values().forEach(process -> files.addAll(process.logFiles()));
        return new ServiceLogs(files);
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

    /** This run's folder: {@code logs/}, {@code outbox/} (caught mail and WhatsApp), the database log. */
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
        ExecutorService stoppers = Executors.newFixedThreadPool(Service.values().length);
        List<Future<?>> stopping = new ArrayList<>();
        for (ServiceProcess process : services.values()) {
            stopping.add(stoppers.submit(() -> process.stop(settings.stopGrace)));
        }
        for (Future<?> stop : stopping) {
            try {
                stop.get();
            } catch (ExecutionException | InterruptedException e) {
                events.accept("stop failed: " + e.getMessage());
            }
        }
        stoppers.shutdownNow();
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                events.accept("close failed: " + e.getMessage());
            }
        }
        events.close();
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    private static String secret(String prefix) {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return prefix + HexFormat.of().formatHex(random);
    }

    /** One readable line per thing the simulator and the sinks did, and per control action, for whoever debugs a run. */
    private static final class RunJournal implements Consumer<String>, AutoCloseable {
        private final BufferedWriter out;

        RunJournal(Path file) {
            try {
                Files.createDirectories(file.getParent());
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + file, e);
            }
        }

        @Override
        public synchronized void accept(String line) {
            try {
                out.write(Instant.now() + " " + line);
                out.newLine();
                out.flush();
            } catch (IOException e) {
                // a debugging aid only: a full disk must not fail the run
            }
        }

        @Override
        public synchronized void close() {
            try {
                out.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
