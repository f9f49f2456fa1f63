package dev.lunas.launcher.run;

import dev.lunas.launcher.fault.FaultProxy;
import dev.lunas.launcher.http.PortInUseException;
import dev.lunas.launcher.http.PortProbe;
import dev.lunas.launcher.midtrans.MidtransSimulator;
import dev.lunas.launcher.midtrans.SimulatorSettings;
import dev.lunas.launcher.sink.MailSink;
import dev.lunas.launcher.sink.Outbox;
import dev.lunas.launcher.sink.OutboxServer;
import dev.lunas.launcher.sink.WhatsAppGateway;
import dev.lunas.launcher.storefront.StorefrontServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The whole system on this machine, the one way the tooling starts it: what the {@link RunPlan} asks for, started in
 * dependency order (database, stand-ins, then the services, each awaited until ready) and stopped in reverse.
 * {@code ./lunas run} starts it as the {@link #builder} leaves it; the benchmark and the system tests tell the
 * builder what they need beyond that (free ports come with the plan; a throw-away or crash-safe database, the
 * production profile with nothing inherited, a fault proxy in front of the SMTP sink, more variables for one
 * service, replicas of a service), and then work against it: they stop, kill and start single services and read
 * their processes.
 */
public final class LocalSystem implements AutoCloseable {

    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    /** Where snap.js comes from when MIDTRANS_SNAP_BASE_URL is not set: the services' default, Midtrans's sandbox. */
    private static final String MIDTRANS_SANDBOX_SNAP = "https://app.sandbox.midtrans.com";

    /** One JVM of a service; replica 1 is the one every service has. */
    private record Instance(Service service, int replica, ServiceProcess process) {
    }

    private final RunPlan plan;
    private final Workspace workspace;
    private final Console console;
    private final LogSummary logSummary;
    private final boolean echo;
    private final boolean events;
    private final EmbeddedDatabase.Durability durability;
    private final Map<String, String> databaseSettings;
    private final boolean rolesOnExternalDatabase;
    private final MailSink.Options mailOptions;
    private final boolean smtpFaults;
    private final UnaryOperator<SimulatorSettings.Builder> simulatorSettings;
    private final boolean parallelStart;
    private final Duration stopGrace;
    /** The JVMs of the system: those the builder asked for, then the instances {@link #startInstance} adds. */
    private final List<Instance> instances;
    /** Instances {@link #retire}d: stopped for good, their logs still the system's. */
    private final List<Instance> retired = new CopyOnWriteArrayList<>();
    private final ServiceProcess.Options processOptions;
    private final Map<Service, Map<String, String>> extraEnvironment = new ConcurrentHashMap<>();
    private final Map<Service, Duration> startTimes = new ConcurrentHashMap<>();
    private EmbeddedDatabase database;
    /** Each service's database logins when the embedded database has production's roles (DatabaseRoles). */
    private Map<Service, Map<String, String>> databaseLogins = Map.of();
    private MailSink mailSink;
    private FaultProxy smtpProxy;
    private OutboxServer outboxServer;
    private MidtransSimulator simulator;
    private StorefrontServer storefront;
    private boolean closed;
    private volatile boolean stopRequested;

    private LocalSystem(Builder builder) {
        this.plan = builder.plan;
        this.workspace = builder.workspace;
        this.console = builder.console;
        this.logSummary = new LogSummary(builder.verbose);
        this.echo = builder.echo;
        this.events = builder.events;
        this.durability = builder.durability;
        this.databaseSettings = Map.copyOf(builder.databaseSettings);
        this.rolesOnExternalDatabase = builder.rolesOnExternalDatabase;
        this.mailOptions = builder.mailOptions;
        this.smtpFaults = builder.smtpFaults;
        this.simulatorSettings = builder.simulatorSettings;
        this.parallelStart = builder.parallelStart;
        this.stopGrace = builder.stopGrace;
        builder.extraEnvironment.forEach((service, variables) -> extraEnvironment.put(service, Map.copyOf(variables)));
        this.processOptions = options(builder);
        this.instances = new CopyOnWriteArrayList<>(instances(builder, processOptions));
    }

    private static ServiceProcess.Options options(Builder builder) {
        return new ServiceProcess.Options(builder.profile, builder.inheritEnvironment, builder.plan.serviceJvmOptions(),
                builder.agentJar, builder.logFiles, builder.readinessPoll);
    }

    /**
     * The JVMs to run: one of each service selected, in start order, on the plan's ports; then the further replicas,
     * on free ports, named {@code <service>-<n>}.
     */
    private static List<Instance> instances(Builder builder, ServiceProcess.Options options) {
        List<Service> selected = builder.services.isEmpty() ? List.of(Service.values()) : builder.services;
        int mostReplicas = builder.replicas.values().stream().max(Integer::compare).orElse(1);
        List<Instance> instances = new ArrayList<>();
        for (int replica = 1; replica <= mostReplicas; replica++) {
            for (Service service : Service.values()) {
                if (selected.contains(service) && replica <= builder.replicas.getOrDefault(service, 1)) {
                    String name = replica == 1 ? service.moduleName() : service.moduleName() + "-" + replica;
                    int port = replica == 1 ? builder.plan.ports().service(service) : PortProbe.freeListenPort();
                    instances.add(new Instance(service, replica, new ServiceProcess(name, port,
                            builder.workspace.serviceJar(service), builder.workspace.logs(), options)));
                }
            }
        }
        return instances;
    }

    /** A system as {@code ./lunas run} starts it, unless the builder is told otherwise. */
    public static Builder builder(RunPlan plan, Workspace workspace, Console console) {
        return new Builder(plan, workspace, console);
    }

    /** How a {@link LocalSystem} is started beyond what its {@link RunPlan} says. */
    public static final class Builder {
        private final RunPlan plan;
        private final Workspace workspace;
        private final Console console;
        private boolean verbose;
        private boolean echo = true;
        private boolean events = true;
        private Optional<Path> agentJar = Optional.empty();
        private List<Service> services = List.of();
        private final Map<Service, Integer> replicas = new EnumMap<>(Service.class);
        private final Map<Service, Map<String, String>> extraEnvironment = new EnumMap<>(Service.class);
        private EmbeddedDatabase.Durability durability = EmbeddedDatabase.Durability.DURABLE;
        private final Map<String, String> databaseSettings = new LinkedHashMap<>();
        private boolean rolesOnExternalDatabase;
        private MailSink.Options mailOptions = MailSink.Options.LOCAL_RUN;
        private boolean smtpFaults;
        private UnaryOperator<SimulatorSettings.Builder> simulatorSettings = UnaryOperator.identity();
        private Duration readinessPoll = Duration.ofMillis(300);
        private String profile = "dev";
        private boolean inheritEnvironment = true;
        private ServiceProcess.LogFiles logFiles = ServiceProcess.LogFiles.ONE_FILE;
        private boolean parallelStart;
        private Duration stopGrace = Duration.ofSeconds(30);

        private Builder(RunPlan plan, Workspace workspace, Console console) {
            this.plan = plan;
            this.workspace = workspace;
            this.console = console;
        }

        /** Show every line the services log on the console, not only warnings, errors and business events. */
        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        /**
         * Whether the services' log lines reach the console at all (they always reach the log files). Off for load
         * runs, where they would be thousands of lines a second, and for tests, which read the files.
         */
        public Builder echo(boolean echo) {
            this.echo = echo;
            return this;
        }

        /** Whether the stand-ins' events (a mail caught, a notification sent) reach the console. */
        public Builder events(boolean events) {
            this.events = events;
            return this;
        }

        /** The parent-watch agent loaded into each service, so a killed launcher takes its services along. */
        public Builder agentJar(Optional<Path> agentJar) {
            this.agentJar = agentJar;
            return this;
        }

        /** Only these services (all three when empty). */
        public Builder services(List<Service> services) {
            this.services = List.copyOf(services);
            return this;
        }

        /** Runs {@code count} JVMs of {@code service} on one database, as a deployment with replicas does. */
        public Builder replicas(Service service, int count) {
            replicas.put(service, count);
            return this;
        }

        /** A variable for one service, on top of (and winning over) the plan's; see {@link LocalSystem#environment}. */
        public Builder environment(Service service, String name, String value) {
            ServiceVariable.requireTakenBy(service, name);
            extraEnvironment.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        /** What commits cost the embedded PostgreSQL, and whether its data is kept (only when durable). */
        public Builder durability(EmbeddedDatabase.Durability durability) {
            this.durability = durability;
            return this;
        }

        /** Further settings of the embedded PostgreSQL ({@code postgresql.conf} names), e.g. for statistics. */
        public Builder databaseSetting(String name, String value) {
            databaseSettings.put(name, value);
            return this;
        }

        /**
         * On a database the plan names (QUARKUS_DATASOURCE_*), not an embedded one: gives it production's roles as the
         * embedded one gets them (deploy/db/init.sql when it has none yet, the local passwords) and runs the services
         * as them. For a throw-away PostgreSQL the caller owns, such as a test's own cluster.
         */
        public Builder rolesOnExternalDatabase(boolean roles) {
            this.rolesOnExternalDatabase = roles;
            return this;
        }

        /** How the mail sink answers; its {@code keepMessages} also decides whether WhatsApp messages are kept. */
        public Builder mail(MailSink.Options mailOptions) {
            this.mailOptions = mailOptions;
            return this;
        }

        /**
         * Puts a {@link FaultProxy} on the SMTP port the services are given, in front of the mail sink, so mail can
         * be slowed down, refused or hung ({@link LocalSystem#smtpProxy()}).
         */
        public Builder smtpFaults(boolean smtpFaults) {
            this.smtpFaults = smtpFaults;
            return this;
        }

        /** Adjusts the Midtrans simulator's settings (retry schedule, the host its payment pages name). */
        public Builder midtrans(UnaryOperator<SimulatorSettings.Builder> settings) {
            this.simulatorSettings = settings;
            return this;
        }

        /** How often readiness is asked while a service starts: the resolution of the start times measured. */
        public Builder readinessPoll(Duration readinessPoll) {
            this.readinessPoll = readinessPoll;
            return this;
        }

        /** The services' Quarkus profile: {@code dev} unless told otherwise ({@code prod} for the tests). */
        public Builder profile(String profile) {
            this.profile = profile;
            return this;
        }

        /**
         * Whether the services see this JVM's environment; without it they get only the plan's settings (and
         * {@code PATH}, {@code HOME}, {@code TMPDIR}, {@code LANG}).
         */
        public Builder inheritEnvironment(boolean inheritEnvironment) {
            this.inheritEnvironment = inheritEnvironment;
            return this;
        }

        /** How the services' output is kept: one file per service, or files per start that are never overwritten. */
        public Builder logFiles(ServiceProcess.LogFiles logFiles) {
            this.logFiles = logFiles;
            return this;
        }

        /** Start the services at once instead of one after the other (replicas beyond the first still wait their turn). */
        public Builder parallelStart(boolean parallelStart) {
            this.parallelStart = parallelStart;
            return this;
        }

        /** How long a stopped service may take to finish its work before it is killed. */
        public Builder stopGrace(Duration stopGrace) {
            this.stopGrace = stopGrace;
            return this;
        }

        public LocalSystem build() {
            return new LocalSystem(this);
        }
    }

    /**
     * Starts everything; on failure whatever was started is stopped again by {@link #close()}.
     *
     * @return true when everything runs, false when {@link #requestStop()} came first
     * @throws LaunchException with a message for the person at the terminal
     */
    public boolean start() throws InterruptedException {
        requireBuilt();
        if (plan.embeddedDatabase()) {
            EmbeddedDatabase.stopLeftover(workspace.postgresData()).ifPresent(pid ->
                    console.info("Stopped a PostgreSQL (pid " + pid + ") left running by an earlier run that was killed"));
        }
        requirePortsFree();
        Ports ports = plan.ports();
        if (plan.embeddedDatabase()) {
            console.info("Starting PostgreSQL on port " + ports.postgres() + " (data in " + workspace.shown(workspace.postgresData()) + ")");
            database = EmbeddedDatabase.start(workspace.postgresData(), ports.postgres(), RunPlan.DATABASE,
                    workspace.log("postgres"), durability, databaseSettings);
            databaseLogins = DatabaseRoles.setUp(database(), workspace.root().resolve(DatabaseRoles.SCRIPT), console::info);
        } else if (rolesOnExternalDatabase) {
            databaseLogins = DatabaseRoles.setUp(database(), workspace.root().resolve(DatabaseRoles.SCRIPT), console::info);
        }
        startSinks();
        if (plan.midtransSimulator()) {
            simulator = MidtransSimulator.start(simulatorSettings.apply(SimulatorSettings.builder(
                            plan.settings().get(ServiceVariable.MIDTRANS_SERVER_KEY.name()),
                            URI.create("http://127.0.0.1:" + ports.paymentService() + "/webhooks/midtrans"))
                    .port(ports.midtransSimulator())
                    .duplicates(plan.duplicateRate(), Duration.ofSeconds(1))
                    .journal(workspace.midtransJournal())
                    .events(events("midtrans"))).build());
        }
        startStorefront();
        if (!launch(instances.stream().filter(instance -> instance.replica() == 1).toList())) {
            return false;
        }
        for (Instance replica : instances.stream().filter(instance -> instance.replica() > 1).toList()) {
            if (!launch(List.of(replica))) {
                return false;
            }
        }
        return !stopRequested;
    }

    /** Makes a {@link #start()} under way give up at its next step; safe from any thread, e.g. a signal handler. */
    public void requestStop() {
        stopRequested = true;
    }

    private Consumer<String> events(String component) {
        return events ? console.events(component) : line -> { };
    }

    private void startSinks() {
        if (!plan.mailSink() && !plan.whatsAppSink()) {
            return;
        }
        Outbox outbox = new Outbox(workspace.outbox());
        if (plan.mailSink()) {
            int smtp = plan.ports().smtp();
            mailSink = MailSink.start(smtpFaults ? PortProbe.freeListenPort() : smtp, outbox, events("mail"), mailOptions);
            if (smtpFaults) {
                smtpProxy = FaultProxy.start("SMTP", smtp, mailSink.port(), events("smtp-proxy"));
            }
        }
        Map<String, String> settings = plan.settings();
        outboxServer = OutboxServer.start(plan.ports().messages(), outbox, new WhatsAppGateway(
                settings.get(ServiceVariable.WHATSAPP_TOKEN.name()), settings.get(ServiceVariable.WHATSAPP_PHONE_NUMBER_ID.name()),
                outbox, events("whatsapp"), mailOptions.keepMessages()));
    }

    /** The demo storefront on the storefront origin's port, when the plan serves it (no real STOREFRONT_ORIGIN set). */
    private void startStorefront() {
        if (!plan.demoStorefront()) {
            return;
        }
        Map<String, String> settings = plan.settings();
        String snapBaseUrl = settings.getOrDefault(ServiceVariable.MIDTRANS_SNAP_BASE_URL.name(), MIDTRANS_SANDBOX_SNAP);
        storefront = StorefrontServer.start(new StorefrontServer.Settings(plan.ports().storefront(),
                URI.create(settings.get(ServiceVariable.ORDER_SERVICE_URL.name())),
                URI.create(snapBaseUrl == null || snapBaseUrl.isBlank() ? MIDTRANS_SANDBOX_SNAP : snapBaseUrl),
                settings.getOrDefault(ServiceVariable.MIDTRANS_CLIENT_KEY.name(), ""),
                settings.get(ServiceVariable.COURSE_ACCESS_URL.name())));
    }

    /**
     * Starts these JVMs (at once, or each after the previous is ready) and waits until they are ready.
     *
     * @return false when a stop was asked for meanwhile
     */
    private boolean launch(List<Instance> batch) throws InterruptedException {
        Map<Instance, Long> starting = new LinkedHashMap<>();
        for (Instance instance : batch) {
            if (stopRequested) {
                return false;
            }
            starting.put(instance, begin(instance));
            if (!parallelStart && !awaitReady(instance, starting.get(instance))) {
                return false;
            }
        }
        if (parallelStart) {
            for (Map.Entry<Instance, Long> started : starting.entrySet()) {
                if (!awaitReady(started.getKey(), started.getValue())) {
                    return false;
                }
            }
        }
        return !stopRequested;
    }

    /** Starts the JVM; returns when it was started, in {@link System#nanoTime()}. */
    private long begin(Instance instance) {
        ServiceProcess process = instance.process();
        Map<String, String> environment = new LinkedHashMap<>(plan.environmentOf(instance.service()));
        environment.putAll(databaseLogins.getOrDefault(instance.service(), Map.of()));
        environment.putAll(environment(instance.service()));
        long started = System.nanoTime();
        process.start(environment,
                echo ? line -> logSummary.summarize(line).ifPresent(text -> console.line(process.name(), text)) : null,
                exitCode -> console.error(process.name() + " stopped unexpectedly (exit code " + exitCode + "); see "
                        + workspace.shown(process.logFile())));
        console.info("Starting " + process.name() + " on port " + process.port() + " (log " + workspace.shown(process.logFile()) + ")");
        return started;
    }

    private boolean awaitReady(Instance instance, long started) throws InterruptedException {
        if (!instance.process().awaitReady(plan.startTimeout(), () -> stopRequested)) {
            return false;
        }
        Duration toReady = Duration.ofNanos(System.nanoTime() - started);
        startTimes.put(instance.service(), toReady);
        console.info(instance.process().name() + " is ready (" + toReady.toMillis() + " ms)");
        return true;
    }

    /**
     * Starts the JVMs of a service that are not running (stopped by {@link #stopService}, killed, or crashed) and
     * waits until they are ready.
     *
     * @return the time from starting its JVM until its readiness check answered 200
     * @throws LaunchException when it is running already, not part of this system, or does not come up
     */
    public Duration startService(Service service) throws InterruptedException {
        List<Instance> down = instancesOf(service).stream().filter(instance -> !instance.process().isRunning()).toList();
        if (down.isEmpty()) {
            throw new LaunchException(service + " is already running");
        }
        for (Instance instance : down) {
            if (!launch(List.of(instance))) {
                throw new LaunchException("Stopping; " + service + " was not started");
            }
        }
        return startTimes.get(service);
    }

    /**
     * Starts one more JVM of a service, as a rolling deploy's new pod: on a free port (not the service's port, which
     * stays its first replica's, or whatever stands in front of the instances there), with the service's environment,
     * named {@code <service>-<n>}; returns once it is ready. {@link #retire} stops it for good.
     *
     * @throws LaunchException when it does not come up
     */
    public ServiceProcess startInstance(Service service) throws InterruptedException {
        int number = (int) (instancesOf(service).size() + retired.stream().filter(i -> i.service() == service).count()) + 1;
        Instance instance = new Instance(service, number, new ServiceProcess(service.moduleName() + "-" + number,
                PortProbe.freeListenPort(), workspace.serviceJar(service), workspace.logs(), processOptions));
        instances.add(instance);
        if (!launch(List.of(instance))) {
            throw new LaunchException("Stopping; " + instance.process().name() + " was not started");
        }
        return instance.process();
    }

    /**
     * Stops one JVM for good (SIGTERM, then a kill after the grace period), as a rolling deploy ends an old pod: it
     * is no longer among the service's {@link #processes} and {@link #ensureRunning} leaves it down; its log files
     * stay in {@link #logFiles}.
     *
     * @return false when it did not end within the grace period and was killed
     */
    public boolean retire(ServiceProcess process) {
        Instance instance = instances.stream().filter(i -> i.process() == process).findFirst()
                .orElseThrow(() -> new LaunchException(process.name() + " is not an instance of this system"));
        if (instancesOf(instance.service()).size() == 1) {
            throw new LaunchException(process.name() + " is the last instance of " + instance.service());
        }
        instances.remove(instance);
        retired.add(instance);
        process.requestStop();
        return process.awaitStop(stopGrace);
    }

    /** Every log file of every JVM this system has run, retired ones included. */
    public List<Path> logFiles() {
        List<Path> files = new ArrayList<>();
        instances.forEach(instance -> files.addAll(instance.process().logFiles()));
        retired.forEach(instance -> files.addAll(instance.process().logFiles()));
        return files;
    }

    /** Starts whatever is down (stopped, killed or crashed), as the system starts: so the whole system is up again. */
    public void ensureRunning() throws InterruptedException {
        List<Instance> down = instances.stream().filter(instance -> !instance.process().isRunning()).toList();
        if (!down.isEmpty()) {
            console.info("Starting what is down: " + down.stream().map(instance -> instance.process().name()).toList());
            launch(down);
        }
    }

    /**
     * Stops a service gracefully (SIGTERM, then a kill after the grace period) and waits until it has exited.
     *
     * @return false when it did not end within the grace period and was killed
     */
    public boolean stopService(Service service) {
        List<ServiceProcess> processes = processes(service);
        processes.forEach(ServiceProcess::requestStop);
        boolean graceful = true;
        for (ServiceProcess process : processes) {
            graceful &= process.awaitStop(stopGrace);
        }
        return graceful;
    }

    /**
     * {@code kill -9} of a service's JVMs: no shutdown hook, no drain; returns once they are gone.
     *
     * @throws LaunchException when one outlives the signal
     */
    public void killService(Service service) throws InterruptedException {
        List<ServiceProcess> processes = processes(service);
        processes.forEach(ServiceProcess::kill);
        for (ServiceProcess process : processes) {
            if (!process.awaitExit(KILL_WAIT)) {
                throw new LaunchException(process.name() + " survived SIGKILL for " + KILL_WAIT.toSeconds() + " s");
            }
        }
    }

    /** The variables given to {@code service} on top of the plan's, from its next start on. */
    public Map<String, String> environment(Service service) {
        return extraEnvironment.getOrDefault(service, Map.of());
    }

    /**
     * Replaces the variables given to {@code service} on top of the plan's; they apply from its next start.
     *
     * @throws LaunchException when one is a setting the service does not take
     */
    public void environment(Service service, Map<String, String> variables) {
        variables.keySet().forEach(name -> ServiceVariable.requireTakenBy(service, name));
        extraEnvironment.put(service, Map.copyOf(variables));
    }

    /** How long the latest start of a service took, from starting its JVM until it was ready. */
    public Optional<Duration> startTime(Service service) {
        instancesOf(service);
        return Optional.ofNullable(startTimes.get(service));
    }

    /** The process id of a running service (of its first replica). */
    public OptionalLong pid(Service service) {
        return process(service).pid();
    }

    /** The JVM of a service (its first replica). */
    public ServiceProcess process(Service service) {
        return processes(service).get(0);
    }

    /** The JVMs of a service, one per replica. */
    public List<ServiceProcess> processes(Service service) {
        return instancesOf(service).stream().map(Instance::process).toList();
    }

    private List<Instance> instancesOf(Service service) {
        List<Instance> found = instances.stream().filter(instance -> instance.service() == service).toList();
        if (found.isEmpty()) {
            throw new LaunchException("This system runs no " + service);
        }
        return found;
    }

    /** The services this system runs, in start order. */
    public List<Service> services() {
        return instances.stream().map(Instance::service).distinct().toList();
    }

    /** Where everything listens. */
    public Ports ports() {
        return plan.ports();
    }

    /**
     * The database the services use, logged in as the plan says (the embedded server's superuser); its server is there
     * once the system has started it. The services themselves log in as their own roles ({@link #runsAsRoles}).
     */
    public Database database() {
        Database planned = plan.database();
        return new Database(planned.jdbcUrl(), planned.username(), planned.password(), Optional.ofNullable(database));
    }

    /**
     * Whether the services log in as production's roles (DatabaseRoles): each as its runtime role, its migrations as
     * its schema's owner. So they do on the embedded database, unless its data predates the roles.
     */
    public boolean runsAsRoles() {
        return !databaseLogins.isEmpty();
    }

    /** The Midtrans simulator, when the plan runs one and the system is started. */
    public Optional<MidtransSimulator> midtransSimulator() {
        return Optional.ofNullable(simulator);
    }

    /** The demo storefront, when the plan serves it and the system is started. */
    public Optional<StorefrontServer> storefront() {
        return Optional.ofNullable(storefront);
    }

    /** The proxy in front of the mail sink, when the system was built with {@link Builder#smtpFaults}. */
    public Optional<FaultProxy> smtpProxy() {
        return Optional.ofNullable(smtpProxy);
    }

    private void requireBuilt() {
        List<String> missing = services().stream()
                .filter(service -> !Files.isRegularFile(workspace.serviceJar(service)))
                .map(Service::moduleName)
                .toList();
        if (!missing.isEmpty()) {
            throw new LaunchException("Not packaged: " + String.join(", ", missing) + " (no target/quarkus-app/quarkus-run.jar"
                    + " under " + workspace.root() + "). Build them first: ./mvnw -B -q package -DskipTests -pl "
                    + String.join(",", missing) + " (./lunas run and ./lunas bench do that unless told --no-build).");
        }
    }

    private void requirePortsFree() {
        Ports ports = plan.ports();
        Map<Integer, String> needed = new LinkedHashMap<>();
        if (plan.embeddedDatabase()) {
            needed.put(ports.postgres(), "embedded PostgreSQL");
        }
        if (plan.mailSink()) {
            needed.put(ports.smtp(), "mail sink (SMTP)");
        }
        if (plan.mailSink() || plan.whatsAppSink()) {
            needed.put(ports.messages(), "messages page and WhatsApp gateway");
        }
        if (plan.midtransSimulator()) {
            needed.put(ports.midtransSimulator(), "Midtrans simulator");
        }
        if (plan.demoStorefront()) {
            needed.put(ports.storefront(), "demo storefront");
        }
        instances.forEach(instance -> needed.put(instance.process().port(), instance.process().name()));
        List<String> taken = new ArrayList<>();
        needed.forEach((port, owner) -> {
            try {
                PortProbe.requireFree(port, owner);
            } catch (PortInUseException e) {
                taken.add(e.getMessage());
            }
        });
        if (!taken.isEmpty()) {
            throw new LaunchException(String.join("\n", taken) + "\nStop what uses " + (taken.size() == 1 ? "it" : "them")
                    + " (is another ./lunas run still running? `lsof -i :<port>` or `ss -ltnp` shows the owner) and try again.");
        }
    }

    /** Kills the services at once, for a second Ctrl-C; PostgreSQL is left to the next run to stop. */
    public void kill() {
        instances.forEach(instance -> instance.process().kill());
    }

    /** Stops the services (all at once, each given time to finish its work), then the stand-ins, then PostgreSQL. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ServiceProcess> all = instances.stream().map(Instance::process).toList();
        List<String> running = all.stream().filter(ServiceProcess::isRunning).map(ServiceProcess::name).toList();
        if (!running.isEmpty()) {
            console.info("Stopping " + String.join(", ", running));
        }
        all.forEach(ServiceProcess::requestStop);
        all.forEach(process -> process.awaitStop(stopGrace));
        closeQuietly(storefront);
        closeQuietly(simulator);
        closeQuietly(outboxServer);
        closeQuietly(smtpProxy);
        closeQuietly(mailSink);
        if (database != null) {
            console.info("Stopping PostgreSQL");
            closeQuietly(database);
        }
    }

    private void closeQuietly(AutoCloseable component) {
        if (component == null) {
            return;
        }
        try {
            component.close();
        } catch (Exception e) {
            console.error("While stopping: " + e.getMessage());
        }
    }
}
