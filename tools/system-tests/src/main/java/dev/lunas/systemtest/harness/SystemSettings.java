package dev.lunas.systemtest.harness;

import dev.lunas.launcher.run.Database;
import dev.lunas.launcher.run.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a {@link SystemUnderTest} is put together: where the packaged services are, where the run's files go, which
 * services run (and how many of each), and the few settings a scenario may add on top of the production
 * configuration (each by its documented environment variable).
 */
public final class SystemSettings {

    /** Names the repository; without it the harness looks upwards from the working folder. */
    public static final String REPOSITORY_PROPERTY = "lunas.repository";
    /** Where each run gets its folder; default {@code tools/system-tests/target/system-test}. */
    public static final String WORK_PROPERTY = "lunas.system-test.work";
    /** The launcher's parent-watch agent jar: a service JVM exits by itself should the harness's JVM die. */
    public static final String AGENT_PROPERTY = "lunas.parent-watch-agent";
    /**
     * A JDBC URL: the services use that PostgreSQL instead of an embedded one (credentials in
     * {@code LUNAS_TEST_DATABASE_USERNAME} / {@code _PASSWORD}, default postgres). Its Lunas schemas are dropped first.
     */
    public static final String EXTERNAL_DATABASE_VARIABLE = "LUNAS_TEST_DATABASE_URL";

    final Path repository;
    final Path workDirectory;
    final Optional<Path> parentWatchAgent;
    final List<Service> services;
    final Map<Service, Integer> replicas;
    final Map<Service, Map<String, String>> extraEnvironment;
    final boolean crashSafeDatabase;
    final boolean smtpFaults;
    final Optional<Database> database;

    private SystemSettings(Builder builder) {
        this.repository = builder.repository;
        this.workDirectory = builder.workDirectory;
        this.parentWatchAgent = builder.parentWatchAgent;
        this.services = builder.services;
        this.replicas = Map.copyOf(builder.replicas);
        Map<Service, Map<String, String>> extra = new EnumMap<>(Service.class);
        builder.extraEnvironment.forEach((service, variables) -> extra.put(service, Map.copyOf(variables)));
        this.extraEnvironment = extra;
        this.crashSafeDatabase = builder.crashSafeDatabase;
        this.smtpFaults = builder.smtpFaults;
        this.database = builder.database;
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

    /** Whether the tests run against a PostgreSQL of their own (not one named by {@value #EXTERNAL_DATABASE_VARIABLE}). */
    public static boolean embeddedDatabase() {
        String external = System.getenv(EXTERNAL_DATABASE_VARIABLE);
        return external == null || external.isBlank();
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
        private final Optional<Path> parentWatchAgent;
        private List<Service> services = List.of(Service.values());
        private final Map<Service, Integer> replicas = new EnumMap<>(Service.class);
        private final Map<Service, Map<String, String>> extraEnvironment = new EnumMap<>(Service.class);
        private boolean crashSafeDatabase;
        private boolean smtpFaults;
        private Optional<Database> database = Optional.empty();

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
        public Path workDirectory() {
            return workDirectory;
        }

        /** Where each run gets its folder. */
        public Builder workDirectory(Path directory) {
            this.workDirectory = directory.toAbsolutePath().normalize();
            return this;
        }

        /** Only these services run (all three unless told). */
        public Builder services(Service... services) {
            this.services = List.of(services);
            return this;
        }

        /** {@code count} JVMs of {@code service} on the one database, as a deployment with replicas runs it. */
        public Builder replicas(Service service, int count) {
            replicas.put(service, count);
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
         * Puts a fault proxy between notification-service and the SMTP sink, so a scenario can slow mail down,
         * refuse or hang it ({@link SystemUnderTest#smtpProxy()}).
         */
        public Builder smtpFaults(boolean faults) {
            this.smtpFaults = faults;
            return this;
        }

        /**
         * The services run on this database (given as its superuser), e.g. a {@link PrivateCluster}'s, instead of the
         * embedded one or {@value SystemSettings#EXTERNAL_DATABASE_VARIABLE}'s, and find it as it is: nothing is
         * dropped, a restored database keeps its data. They log in as production's roles, which the database gets
         * (deploy/db/init.sql) unless its cluster has them already.
         */
        public Builder database(Database superuser) {
            this.database = Optional.of(superuser);
            return this;
        }

        public SystemSettings build() {
            return new SystemSettings(this);
        }
    }
}
