package dev.lunas.systemtest.harness;

import dev.lunas.launcher.midtrans.SimulatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a {@link SystemUnderTest} is put together: where the packaged services are, where the run's files go,
 * how the service JVMs run, how patient the harness is, and the few settings a scenario may add on top of
 * the production configuration (each by its documented environment variable).
 */
public final class SystemSettings {

    /** Names the repository; without it the harness looks upwards from the working folder. */
    public static final String REPOSITORY_PROPERTY = "lunas.repository";
    /** Where each run gets its folder; default {@code system-tests/target/system-test}. */
    public static final String WORK_PROPERTY = "lunas.system-test.work";
    /** The launcher's parent-watch agent jar: a service JVM exits by itself should the harness's JVM die. */
    public static final String AGENT_PROPERTY = "lunas.parent-watch-agent";

    /**
     * Small heaps, the serial collector and the C1 compiler only: three service JVMs, PostgreSQL and the tests
     * share two cores, where start-up and short runs matter more than peak throughput.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    final Path repository;
    final Path workDirectory;
    final Optional<Path> parentWatchAgent;
    final List<String> jvmOptions;
    final Duration startTimeout;
    final Duration stopGrace;
    final List<Duration> notificationRetries;
    final Map<Service, Map<String, String>> extraEnvironment;
    final boolean crashSafeDatabase;
    final boolean smtpFaults;

    private SystemSettings(Builder builder) {
        this.repository = builder.repository;
        this.workDirectory = builder.workDirectory;
        this.parentWatchAgent = builder.parentWatchAgent;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.startTimeout = builder.startTimeout;
        this.stopGrace = builder.stopGrace;
        this.notificationRetries = List.copyOf(builder.notificationRetries);
        Map<Service, Map<String, String>> extra = new EnumMap<>(Service.class);
        builder.extraEnvironment.forEach((service, variables) -> extra.put(service, Map.copyOf(variables)));
        this.extraEnvironment = extra;
        this.crashSafeDatabase = builder.crashSafeDatabase;
        this.smtpFaults = builder.smtpFaults;
    }

    /** Defaults, with the locations from the system properties Maven's surefire sets for this module. */
    public static Builder fromSystemProperties() {
        Path repository = property(REPOSITORY_PROPERTY).map(Path::of).orElseGet(SystemSettings::findRepository)
                .toAbsolutePath().normalize();
        Path work = property(WORK_PROPERTY).map(Path::of).orElse(repository.resolve("tools/system-tests/target/system-test"))
                .toAbsolutePath().normalize();
        Optional<Path> agent = property(AGENT_PROPERTY).map(Path::of).filter(Files::isRegularFile);
        return new Builder(repository, work, agent);
    }

    private static Optional<String> property(String name) {
        return Optional.ofNullable(System.getProperty(name)).filter(value -> !value.isBlank() && !value.startsWith("${"));
    }

    private static Path findRepository() {
        Path folder = Path.of("").toAbsolutePath();
        while (folder != null) {
            if (Files.isRegularFile(folder.resolve("order-service/pom.xml")) && Files.isRegularFile(folder.resolve("pom.xml"))) {
                return folder;
            }
            folder = folder.getParent();
        }
        throw new HarnessException("Cannot find the Lunas repository above " + Path.of("").toAbsolutePath()
                + "; set the system property " + REPOSITORY_PROPERTY);
    }

    public static final class Builder {
        private final Path repository;
        private Path workDirectory;
        private Optional<Path> parentWatchAgent;
        private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        // three JVMs starting at once on two busy cores take tens of seconds; a minute more is headroom, not hope
        private Duration startTimeout = Duration.ofMinutes(3);
        // production: readiness drops for 5 s, then up to 20 s for requests and 20 s for notification sends
        private Duration stopGrace = Duration.ofSeconds(60);
        private List<Duration> notificationRetries = SimulatorSettings.COMPRESSED_RETRY_DELAYS;
        private final Map<Service, Map<String, String>> extraEnvironment = new EnumMap<>(Service.class);
        private boolean crashSafeDatabase;
        private boolean smtpFaults;

        private Builder(Path repository, Path workDirectory, Optional<Path> parentWatchAgent) {
            this.repository = repository;
            this.workDirectory = workDirectory;
            this.parentWatchAgent = parentWatchAgent;
        }

        /** The repository whose packaged services run (found from the working folder unless given). */
        public Path repository() {
            return repository;
        }

        /** Where each run gets its folder. */
        public Builder workDirectory(Path directory) {
            this.workDirectory = directory.toAbsolutePath().normalize();
            return this;
        }

        /** The launcher's parent-watch agent jar, when the system property does not name one. */
        public Builder parentWatchAgent(Path agent) {
            this.parentWatchAgent = Optional.of(agent).filter(Files::isRegularFile);
            return this;
        }

        public boolean hasParentWatchAgent() {
            return parentWatchAgent.isPresent();
        }

        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = options;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public Builder stopGrace(Duration grace) {
            this.stopGrace = grace;
            return this;
        }

        /** The simulator's wait before each retry of a notification that failed (Midtrans makes at most five). */
        public Builder notificationRetries(List<Duration> delays) {
            this.notificationRetries = delays;
            return this;
        }

        /** An environment variable for one service, on top of (and winning over) the production wiring. */
        public Builder environment(Service service, String name, String value) {
            extraEnvironment.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        /**
         * PostgreSQL commits only once the WAL is written (still without fsync), so a server killed mid-load
         * loses no committed transaction; for scenarios that crash it.
         */
        public Builder crashSafeDatabase(boolean crashSafe) {
            this.crashSafeDatabase = crashSafe;
            return this;
        }

        /**
         * Puts a {@link FaultProxy} between notification-service and the SMTP sink, so a scenario can slow mail
         * down, refuse or hang it ({@link SystemUnderTest#smtpProxy()}).
         */
        public Builder smtpFaults(boolean faults) {
            this.smtpFaults = faults;
            return this;
        }

        public SystemSettings build() {
            return new SystemSettings(this);
        }
    }
}
