package dev.lunas.launcher.run;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded PostgreSQL (zonky's binaries, pinned in the root pom) a system runs its services on, in a data
 * folder of its own. A {@link Durability#DURABLE} server keeps its data across restarts (created with initdb on the
 * first run, reused afterwards); the others are a test's throw-away server, deleted when it stops.
 *
 * <p>The server can be stopped and started again under the running services ({@link #stop}, {@link #startAgain},
 * {@link #restart}) with {@code pg_ctl}, as an operator or a crash would: a fast stop disconnects every session, an
 * immediate one kills the server without a checkpoint, so the next start runs crash recovery.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** What a commit costs, and what survives. */
    public enum Durability {
        /** fsync and synchronous commits: the data survives a crash of the machine, as production's does, and is kept. */
        DURABLE,
        /** Commits wait for the WAL to be written (no fsync): a crashed server loses no committed row. Not kept. */
        CRASH_SAFE,
        /** Neither: the fastest, for tests whose server never crashes. Not kept. */
        NONE
    }

    /** How {@code pg_ctl} stops the server. */
    public enum StopMode {
        /** Sessions are disconnected, their transactions rolled back, a checkpoint written. */
        FAST,
        /** Every server process quits at once, as in a crash: the next start replays the WAL. */
        IMMEDIATE
    }

    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration LEFTOVER_STOP_WAIT = Duration.ofSeconds(30);
    private static final Duration PG_CTL_WAIT = Duration.ofSeconds(60);
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final Path logFile;
    private Path binDirectory;
    private List<String> serverOptions;
    private boolean down;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, Path logFile) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
    }

    /** A durable server on {@code dataDirectory} with database {@code database}, as {@code ./lunas run} starts it. */
    static EmbeddedDatabase start(Path dataDirectory, int port, String database, Path logFile) {
        return start(dataDirectory, port, database, logFile, Durability.DURABLE, Map.of());
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory} and makes sure database {@code database} exists.
     *
     * @param settings further server settings ({@code postgresql.conf} names), which win over the defaults here
     * @throws LaunchException with the end of PostgreSQL's log when it does not come up
     */
    static EmbeddedDatabase start(Path dataDirectory, int port, String database, Path logFile, Durability durability,
                                  Map<String, String> settings) {
        try {
            Files.createDirectories(logFile.getParent());
            Map<String, String> server = new LinkedHashMap<>();
            // zonky starts the server with fsync off (-F) for throw-away test databases; kept data is meant to
            // survive a crash of the machine, which this turns back on
            server.put("fsync", durability == Durability.DURABLE ? "on" : "off");
            server.put("synchronous_commit", durability == Durability.NONE ? "off" : "on");
            if (durability != Durability.DURABLE) {
                server.put("full_page_writes", "off");
            }
            server.put("listen_addresses", "localhost");
            server.put("max_connections", "100");
            server.putAll(settings);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(durability != Durability.DURABLE)
                    .setPort(port)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            server.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            EmbeddedDatabase started = new EmbeddedDatabase(postgres, dataDirectory, logFile);
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

    /**
     * Stops the server with {@code pg_ctl stop -m <mode>}, waiting until it is gone. The services keep running and
     * find their connections broken.
     */
    public synchronized void stop(StopMode mode) {
        locateServer();
        down = true;
        pgCtl("stop", "-m", mode.name().toLowerCase(Locale.ROOT));
    }

    /** Starts the stopped server again with the options it ran with, waiting until it takes connections. */
    public synchronized void startAgain() {
        if (serverOptions == null) {
            throw new LaunchException("The database was never stopped");
        }
        pgCtl("start", "-o", String.join(" ", serverOptions));
        down = false;
    }

    /** Starts the server again if {@link #stop} stopped it and nobody started it since. */
    public synchronized void ensureUp() {
        if (down) {
            startAgain();
        }
    }

    /** {@link #stop}, {@code downtime} with no server, {@link #startAgain}. */
    public void restart(StopMode mode, Duration downtime) {
        stop(mode);
        try {
            Thread.sleep(downtime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("Interrupted while the database was down", e);
        } finally {
            startAgain();
        }
    }

    /**
     * Finds the running server's binaries and start options: its {@code postmaster.pid} names the process, whose
     * executable sits beside {@code pg_ctl}; {@code postmaster.opts} holds its arguments.
     */
    private void locateServer() {
        try {
            if (binDirectory == null) {
                String pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).trim();
                binDirectory = Files.readSymbolicLink(Path.of("/proc", pid, "exe")).getParent();
            }
            serverOptions = startOptions(Files.readString(dataDirectory.resolve("postmaster.opts"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LaunchException("Cannot find the embedded PostgreSQL's files to restart it", e);
        }
    }

    /** The server's arguments from postmaster.opts, still quoted for the shell pg_ctl starts it with, minus -D. */
    private static List<String> startOptions(String postmasterOpts) {
        List<String> quoted = new ArrayList<>();
        Matcher argument = QUOTED.matcher(postmasterOpts);
        while (argument.find()) {
            quoted.add(argument.group());
        }
        List<String> options = new ArrayList<>();
        for (int i = 0; i < quoted.size(); i++) {
            if (quoted.get(i).equals("\"-D\"")) {
                i++;
            } else {
                options.add(quoted.get(i));
            }
        }
        return options;
    }

    /** pg_ctl refuses to run as root; zonky runs it in a user namespace then, and so does this. */
    private void pgCtl(String action, String... arguments) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binDirectory.resolve("pg_ctl").toString());
        command.addAll(List.of("-D", dataDirectory.toString(), "-w", "-t", String.valueOf(PG_CTL_WAIT.toSeconds())));
        command.addAll(List.of(arguments));
        command.add(action);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!process.waitFor(PG_CTL_WAIT.toSeconds() + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new LaunchException("pg_ctl " + action + " did not finish; see " + logFile);
            }
            if (process.exitValue() != 0) {
                throw new LaunchException("pg_ctl " + action + " failed with exit code " + process.exitValue() + "; see " + logFile);
            }
        } catch (IOException e) {
            throw new LaunchException("Cannot run pg_ctl " + action + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("Interrupted while running pg_ctl " + action, e);
        }
    }

    /** A fast shutdown: connections are closed, the data is checkpointed (a throw-away server's is deleted). */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL did not stop cleanly", e);
        }
    }
}
