package dev.lunas.launcher.run;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local PostgreSQL (zonky's binaries, pinned in the root pom) with its data in a folder that survives
 * restarts: created with initdb on the first run, reused afterwards.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration LEFTOVER_STOP_WAIT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory} and makes sure database {@code database} exists.
     *
     * @throws LaunchException with the end of PostgreSQL's log when it does not come up
     */
    static EmbeddedDatabase start(Path dataDirectory, int port, String database, Path logFile) {
        return start(dataDirectory, port, database, logFile, Map.of());
    }

    /**
     * As {@link #start(Path, int, String, Path)}, with further server settings ({@code postgresql.conf} names),
     * which win over the defaults here.
     */
    static EmbeddedDatabase start(Path dataDirectory, int port, String database, Path logFile, Map<String, String> settings) {
        try {
            Files.createDirectories(logFile.getParent());
            Map<String, String> server = new LinkedHashMap<>();
            // kept data is meant to survive a crash of the machine, as production's does; zonky starts the server
            // with fsync off (-F) for throw-away test databases, which this turns back on
            server.put("fsync", "on");
            server.put("synchronous_commit", "on");
            server.put("listen_addresses", "localhost");
            server.put("max_connections", "100");
            server.putAll(settings);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            server.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            EmbeddedDatabase started = new EmbeddedDatabase(postgres);
            started.createIfMissing(database);
            return started;
        } catch (IOException | SQLException | RuntimeException e) {
            StringBuilder message = new StringBuilder("PostgreSQL did not start: ").append(rootCause(e))
                    .append("\nLast lines of ").append(logFile).append(":\n");
            for (String line : LogFollower.tail(logFile, 20)) {
                message.append("  | ").append(line).append('\n');
            }
            message.append("If the data in ").append(dataDirectory).append(" is damaged or from another PostgreSQL version,"
                    + " move that folder away to start with an empty database.");
            throw new LaunchException(message.toString(), e);
        }
    }

    /**
     * Stops a PostgreSQL that an earlier, killed launcher left running on this data folder: nobody else can be
     * using it, because the caller holds the launcher lock for the folder.
     *
     * @return the pid that was stopped, if there was one
     */
    static Optional<Long> stopLeftover(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            List<String> lines = Files.readAllLines(pidFile);
            pid = Long.parseLong(lines.get(0).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return Optional.empty();
        }
        try {
            // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, the data is checkpointed
            new ProcessBuilder("kill", "-INT", String.valueOf(pid)).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
            postmaster.get().onExit().get(LEFTOVER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            postmaster.get().destroyForcibly();
            if (postmaster.get().isAlive()) {
                throw new LaunchException("A PostgreSQL left running by an earlier run (pid " + pid + ") does not stop;"
                        + " stop it by hand (kill " + pid + ") and try again.");
            }
        }
        return Optional.of(pid);
    }

    private void createIfMissing(String database) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                query.setString(1, database);
                try (ResultSet found = query.executeQuery()) {
                    exists = found.next();
                }
            }
            if (!exists) {
                try (Statement create = connection.createStatement()) {
                    create.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
                }
            }
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** A fast shutdown: connections are closed, the data is checkpointed. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL did not stop cleanly", e);
        }
    }
}
