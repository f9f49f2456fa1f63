package dev.lunas.launcher.run;

import dev.lunas.launcher.http.PortInUseException;
import dev.lunas.launcher.http.PortProbe;
import dev.lunas.launcher.midtrans.MidtransSimulator;
import dev.lunas.launcher.midtrans.SimulatorSettings;
import dev.lunas.launcher.sink.MailSink;
import dev.lunas.launcher.sink.Outbox;
import dev.lunas.launcher.sink.OutboxServer;
import dev.lunas.launcher.sink.WhatsAppGateway;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The whole system on this machine: what the {@link RunPlan} asks for, started in dependency order (database,
 * fakes, then order-, payment- and notification-service, each awaited until ready) and stopped in reverse.
 * Later commands (benchmark, fault suite) start it the same way, through {@link #builder}, and then work
 * against it: they may stop and start single services, and read their process ids.
 */
public final class LocalSystem implements AutoCloseable {

    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);

    private final RunPlan plan;
    private final Workspace workspace;
    private final Console console;
    private final LogSummary logSummary;
    private final boolean echo;
    private final Optional<Path> agentJar;
    private final Map<String, String> databaseSettings;
    private final MailSink.Options mailOptions;
    private final boolean keepMessages;
    private final Duration readinessPoll;
    private final Map<String, ServiceProcess> services = new ConcurrentHashMap<>();
    private final Map<String, Duration> startTimes = new ConcurrentHashMap<>();
    private final List<ServiceProcess.Definition> selected;
    private EmbeddedDatabase database;
    private MailSink mailSink;
    private OutboxServer outboxServer;
    private MidtransSimulator simulator;
    private boolean closed;
    private volatile boolean stopRequested;

    public LocalSystem(RunPlan plan, Workspace workspace, Console console, boolean verbose, Optional<Path> agentJar,
                       List<String> serviceNames) {
        this(builder(plan, workspace, console).verbose(verbose).agentJar(agentJar).services(serviceNames));
    }

    private LocalSystem(Builder builder) {
        this.plan = builder.plan;
        this.workspace = builder.workspace;
        this.console = builder.console;
        this.logSummary = new LogSummary(builder.verbose);
        this.echo = builder.echo;
        this.agentJar = builder.agentJar;
        this.databaseSettings = Map.copyOf(builder.databaseSettings);
        this.mailOptions = builder.mailOptions;
        this.keepMessages = builder.mailOptions.keepMessages();
        this.readinessPoll = builder.readinessPoll;
        this.selected = select(builder.serviceNames, ServiceProcess.definitions(plan.ports()));
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
        private Optional<Path> agentJar = Optional.empty();
        private List<String> serviceNames = List.of();
        private final Map<String, String> databaseSettings = new LinkedHashMap<>();
        private MailSink.Options mailOptions = MailSink.Options.LOCAL_RUN;
        private Duration readinessPoll = ServiceProcess.DEFAULT_READINESS_POLL;

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
         * Whether the services' log lines and the stand-ins' events reach the console at all (they always reach
         * the log files). Off for load runs, where they would be thousands of lines a second.
         */
        public Builder echo(boolean echo) {
            this.echo = echo;
            return this;
        }

        /** The parent-watch agent loaded into each service, so a killed launcher takes its services along. */
        public Builder agentJar(Optional<Path> agentJar) {
            this.agentJar = agentJar;
            return this;
        }

        /** Only these services (all three when empty). */
        public Builder services(List<String> serviceNames) {
            this.serviceNames = List.copyOf(serviceNames);
            return this;
        }

        /** Further settings of the embedded PostgreSQL ({@code postgresql.conf} names), e.g. for statistics. */
        public Builder databaseSetting(String name, String value) {
            databaseSettings.put(name, value);
            return this;
        }

        /** How the mail sink answers; its {@code keepMessages} also decides whether WhatsApp messages are kept. */
        public Builder mail(MailSink.Options mailOptions) {
            this.mailOptions = mailOptions;
            return this;
        }

        /** How often readiness is asked while a service starts: the resolution of the start times measured. */
        public Builder readinessPoll(Duration readinessPoll) {
            this.readinessPoll = readinessPoll;
            return this;
        }

        public LocalSystem build() {
            return new LocalSystem(this);
        }
    }

    private static List<ServiceProcess.Definition> select(List<String> names, List<ServiceProcess.Definition> all) {
        if (names.isEmpty()) {
            return all;
        }
        List<String> known = all.stream().map(ServiceProcess.Definition::name).toList();
        for (String name : names) {
            if (!known.contains(name)) {
                throw new LaunchException("Unknown service '" + name + "'; the services are " + String.join(", ", known));
            }
        }
        return all.stream().filter(d -> names.contains(d.name())).toList();
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
                    workspace.log("postgres"), databaseSettings);
        }
        startSinks();
        if (plan.midtransSimulator()) {
            simulator = MidtransSimulator.start(SimulatorSettings.builder(RunPlan.SIMULATOR_SERVER_KEY,
                            URI.create(RunPlan.local(ports.paymentService()) + "/webhooks/midtrans"))
                    .port(ports.midtransSimulator())
                    .duplicates(plan.duplicateRate(), Duration.ofSeconds(1))
                    .journal(workspace.midtransJournal())
                    .events(events("midtrans"))
                    .build());
        }
        for (ServiceProcess.Definition definition : selected) {
            if (stopRequested || launch(definition).isEmpty()) {
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
        return echo ? console.events(component) : line -> { };
    }

    private void startSinks() {
        if (!plan.mailSink() && !plan.whatsAppSink()) {
            return;
        }
        Outbox outbox = new Outbox(workspace.outbox());
        if (plan.mailSink()) {
            mailSink = MailSink.start(plan.ports().smtp(), outbox, events("mail"), mailOptions);
        }
        outboxServer = OutboxServer.start(plan.ports().messages(), outbox, new WhatsAppGateway(RunPlan.WHATSAPP_TOKEN,
                RunPlan.WHATSAPP_PHONE_NUMBER_ID, outbox, events("whatsapp"), keepMessages));
    }

    /** Starts one service and waits until it is ready; empty when a stop was asked for meanwhile. */
    private Optional<Duration> launch(ServiceProcess.Definition definition) throws InterruptedException {
        ServiceProcess service = new ServiceProcess(definition, workspace.serviceJar(definition.name()),
                workspace.log(definition.name()), readinessPoll);
        console.info("Starting " + definition.name() + " on port " + definition.port() + " (log " + workspace.shown(service.logFile()) + ")");
        long started = System.nanoTime();
        try {
            Consumer<String> logLines = echo
                    ? line -> logSummary.summarize(line).ifPresent(text -> console.line(definition.name(), text))
                    : null;
            service.start(plan.serviceEnvironment(), plan.serviceJvmOptions(), agentJar, logLines,
                    exitCode -> console.error(definition.name() + " stopped unexpectedly (exit code " + exitCode + "); see "
                            + workspace.shown(service.logFile())));
        } catch (IOException e) {
            throw new LaunchException("Cannot start " + definition.name() + ": " + e.getMessage(), e);
        }
        services.put(definition.name(), service);
        if (!service.awaitReady(plan.startTimeout(), () -> stopRequested)) {
            return Optional.empty();
        }
        Duration toReady = Duration.ofNanos(System.nanoTime() - started);
        startTimes.put(definition.name(), toReady);
        console.info(definition.name() + " is ready (" + toReady.toMillis() + " ms)");
        return Optional.of(toReady);
    }

    /**
     * Starts a service of this system that is not running (it was stopped by {@link #stopService}) and waits
     * until it is ready.
     *
     * @return the time from starting its JVM until its readiness check answered 200
     * @throws LaunchException when it is running already, unknown, or does not come up
     */
    public Duration startService(String name) throws InterruptedException {
        ServiceProcess.Definition definition = definition(name);
        ServiceProcess current = services.get(name);
        if (current != null && current.isRunning()) {
            throw new LaunchException(name + " is already running");
        }
        return launch(definition).orElseThrow(() -> new LaunchException("Stopping; " + name + " was not started"));
    }

    /** Stops one service gracefully (SIGTERM, then a kill after the grace period) and waits until it has exited. */
    public void stopService(String name) {
        definition(name);
        ServiceProcess service = services.get(name);
        if (service == null) {
            return;
        }
        service.requestStop();
        service.awaitStop(SERVICE_STOP_GRACE);
    }

    /** How long the latest start of a service took, from starting its JVM until it was ready. */
    public Optional<Duration> startTime(String name) {
        definition(name);
        return Optional.ofNullable(startTimes.get(name));
    }

    /** The process id of a running service. */
    public OptionalLong pid(String name) {
        definition(name);
        ServiceProcess service = services.get(name);
        return service == null ? OptionalLong.empty() : service.pid();
    }

    private ServiceProcess.Definition definition(String name) {
        return selected.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new LaunchException("This system runs no service '" + name + "'"));
    }

    /** Where everything listens. */
    public Ports ports() {
        return plan.ports();
    }

    /** The Midtrans simulator, when the plan runs one and the system is started. */
    public Optional<MidtransSimulator> midtransSimulator() {
        return Optional.ofNullable(simulator);
    }

    private void requireBuilt() {
        List<String> missing = new ArrayList<>();
        for (ServiceProcess.Definition definition : selected) {
            Path jar = workspace.serviceJar(definition.name());
            if (!Files.isRegularFile(jar)) {
                missing.add(definition.name() + " (" + workspace.shown(jar) + " is missing)");
            }
        }
        if (!missing.isEmpty()) {
            throw new LaunchException("Not built: " + String.join(", ", missing)
                    + ". Run ./lunas run without --no-build, or ./mvnw -DskipTests package.");
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
        selected.forEach(definition -> needed.put(definition.port(), definition.name()));
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

    /** The services this system runs, in start order. */
    public List<String> serviceNames() {
        return selected.stream().map(ServiceProcess.Definition::name).toList();
    }

    /** Kills the services at once, for a second Ctrl-C; PostgreSQL is left to the next run to stop. */
    public void kill() {
        services.values().forEach(ServiceProcess::kill);
    }

    /** Stops the services (all at once, each given time to finish its work), then the fakes, then PostgreSQL. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ServiceProcess> all = selected.stream().map(d -> services.get(d.name())).filter(Objects::nonNull).toList();
        List<ServiceProcess> running = all.stream().filter(ServiceProcess::isRunning).toList();
        if (!running.isEmpty()) {
            console.info("Stopping " + String.join(", ", running.stream().map(ServiceProcess::name).toList()));
        }
        all.forEach(ServiceProcess::requestStop);
        all.forEach(service -> service.awaitStop(SERVICE_STOP_GRACE));
        closeQuietly(simulator);
        closeQuietly(outboxServer);
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
