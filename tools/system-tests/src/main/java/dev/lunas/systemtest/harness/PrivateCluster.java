package dev.lunas.systemtest.harness;

import dev.lunas.launcher.http.PortProbe;
import dev.lunas.launcher.run.Database;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own, run from the distribution's binaries ({@code /usr/lib/postgresql/<major>/bin},
 * the newest installed): the server whose major version matches the client tools of this machine ({@code pg_dump},
 * {@code pg_basebackup}), which the embedded PostgreSQL 17 of the other tests does not. It listens on a free port of
 * 127.0.0.1 only (no socket), trusts local logins, and has the superuser {@value #SUPERUSER}. As root, initdb and the
 * server run in a user namespace of their own ({@code unshare -U}), as the embedded database does: there they are not
 * root, and the files they write stay this user's, so a base backup taken here can be started there as it is.
 *
 * <p>{@link #close()} stops the server and deletes its data folder; the server's log stays beside it.
 */
public final class PrivateCluster implements AutoCloseable {

    public static final String SUPERUSER = "postgres";
    /** Where Debian's (and Ubuntu's) postgresql packages put each major version's programs. */
    public static final Path DISTRIBUTION = Path.of("/usr/lib/postgresql");

    private static final Duration PG_CTL_WAIT = Duration.ofSeconds(120);
    private static final Duration TOOL_WAIT = Duration.ofMinutes(5);

    /** What a program run against the cluster printed, and how it ended. */
    public record Run(List<String> command, int exitCode, String output, String errors) {

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** Throws unless the program succeeded; the message quotes what it said. */
        public Run orThrow() {
            if (!succeeded()) {
                throw new HarnessException(String.join(" ", command) + " failed with exit code " + exitCode + ":\n" + output + errors);
            }
            return this;
        }
    }

    private final Path bin;
    private final Path dataDirectory;
    private final Path logFile;
    private final int port;
    private boolean running;

    private PrivateCluster(Path bin, Path dataDirectory, Path logFile, int port) {
        this.bin = bin;
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
        this.port = port;
    }

    /**
     * The programs of the newest PostgreSQL the distribution installed.
     *
     * @throws HarnessException naming the packages to install when there is none
     */
    public static Path binaries() {
        List<Path> installed = new ArrayList<>();
        if (Files.isDirectory(DISTRIBUTION)) {
            try (Stream<Path> versions = Files.list(DISTRIBUTION)) {
                versions.filter(version -> version.getFileName().toString().matches("\\d+"))
                        .filter(version -> Files.isExecutable(version.resolve("bin/initdb"))
                                && Files.isExecutable(version.resolve("bin/postgres"))
                                && Files.isExecutable(version.resolve("bin/pg_dump")))
                        .forEach(installed::add);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + DISTRIBUTION, e);
            }
        }
        return installed.stream()
                .max(Comparator.comparingInt(version -> Integer.parseInt(version.getFileName().toString())))
                .map(version -> version.resolve("bin"))
                .orElseThrow(() -> new HarnessException("No PostgreSQL server and client programs in " + DISTRIBUTION
                        + "/<major>/bin (initdb, postgres, pg_dump): install the distribution's packages, e.g. on Debian"
                        + " `apt-get install postgresql postgresql-client` (.ci/run does so when they are missing)"));
    }

    /** The major version of {@link #binaries()}. */
    public static int majorVersion() {
        return Integer.parseInt(binaries().getParent().getFileName().toString());
    }

    /**
     * Creates a new cluster in {@code directory/data} (initdb: UTF-8, C.UTF-8) and starts it.
     *
     * @param settings {@code postgresql.conf} settings, appended to the file initdb wrote
     */
    public static PrivateCluster create(Path directory, Map<String, String> settings) {
        Path bin = binaries();
        Path data = directory.resolve("data");
        Path log = directory.resolve("postgres.log");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + directory, e);
        }
        List<String> initdb = serverCommand(bin.resolve("initdb"));
        initdb.addAll(List.of("-D", data.toString(), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
                "--locale=C.UTF-8", "--no-sync"));
        run(initdb, Map.of(), log).orThrow();
        PrivateCluster cluster = new PrivateCluster(bin, data, log, PortProbe.freeListenPort());
        cluster.appendSettings(settings);
        cluster.start();
        return cluster;
    }

    /**
     * Starts a server on a data folder that exists, e.g. a base backup to recover: {@code settings} are appended to
     * its {@code postgresql.conf} first (later lines win over earlier ones).
     */
    public static PrivateCluster open(Path dataDirectory, Path logFile, Map<String, String> settings) {
        PrivateCluster cluster = new PrivateCluster(binaries(), dataDirectory, logFile, PortProbe.freeListenPort());
        cluster.appendSettings(settings);
        cluster.start();
        return cluster;
    }

    /** Starts the server (again), waiting until it accepts connections. */
    public void start() {
        List<String> command = serverCommand(bin.resolve("pg_ctl"));
        command.addAll(List.of("-D", dataDirectory.toString(), "-l", logFile.toString(), "-w",
                "-t", String.valueOf(PG_CTL_WAIT.toSeconds()),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", "start"));
        run(command, Map.of(), logFile).orThrow();
        running = true;
    }

    /** A fast shutdown: sessions are disconnected, a checkpoint is written. */
    public void stop() {
        List<String> command = serverCommand(bin.resolve("pg_ctl"));
        command.addAll(List.of("-D", dataDirectory.toString(), "-w", "-t", String.valueOf(PG_CTL_WAIT.toSeconds()),
                "-m", "fast", "stop"));
        run(command, Map.of(), logFile).orThrow();
        running = false;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Path logFile() {
        return logFile;
    }

    /** A program of this PostgreSQL version ({@code pg_dump}, {@code pg_basebackup}, {@code psql}…). */
    public Path tool(String name) {
        return bin.resolve(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A database of this cluster as the launcher reaches one, logged in as the superuser. */
    public Database database(String name) {
        return new Database(jdbcUrl(name), SUPERUSER, null, Optional.empty());
    }

    /** A new connection to {@code database} as the superuser (the caller closes it). */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, "");
    }

    public void createDatabase(String name) {
        try (Connection connection = connect("postgres"); Statement sql = connection.createStatement()) {
            sql.execute("create database " + name);
        } catch (SQLException e) {
            throw new HarnessException("Cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The standard libpq variables that point a client at {@code database} of this cluster as the superuser, and a
     * PATH that finds this version's client programs first.
     */
    public Map<String, String> clientEnvironment(String database) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PGHOST", "127.0.0.1");
        environment.put("PGPORT", String.valueOf(port));
        environment.put("PGUSER", SUPERUSER);
        environment.put("PGDATABASE", database);
        environment.put("PATH", bin + ":" + Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin"));
        return environment;
    }

    /**
     * Runs a client program (a script, {@code pg_basebackup}…) as this process's user, with {@link #clientEnvironment}
     * for {@code database} plus {@code environment}, and waits for it.
     */
    public Run client(List<String> command, String database, Map<String, String> environment) {
        Map<String, String> variables = new LinkedHashMap<>(clientEnvironment(database));
        variables.putAll(environment);
        return run(command, variables, null);
    }

    /** Stops the server if it runs and deletes its data folder. */
    @Override
    public void close() {
        try {
            if (running) {
                stop();
            }
        } finally {
            deleteRecursively(dataDirectory);
        }
    }

    /** Deletes a folder and everything in it, if it exists. */
    public static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + folder, e);
        }
    }

    private void appendSettings(Map<String, String> settings) {
        if (settings.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder("\n# the test's settings\n");
        settings.forEach((name, value) -> lines.append(name).append(" = '").append(value.replace("'", "''")).append("'\n"));
        try {
            Files.writeString(dataDirectory.resolve("postgresql.conf"), lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the settings into " + dataDirectory, e);
        }
    }

    /** initdb, pg_ctl and the server refuse to run as root: as root they run in a user namespace, where they are not. */
    private static List<String> serverCommand(Path program) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            if (!LinuxUtils.isUnshareAvailable()) {
                throw new HarnessException("Running as root, and `unshare -U` is not available: PostgreSQL's server"
                        + " programs refuse to run as root. Run the tests as an ordinary user.");
            }
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(program.toString());
        return command;
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Runs a program; its output goes to {@code log} when one is given, else it is returned. */
    private static Run run(List<String> command, Map<String, String> environment, Path log) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Path output = log != null ? log : Files.createTempFile("private-cluster-", ".out");
            Path errors = log != null ? log : Files.createTempFile("private-cluster-", ".err");
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
            builder.redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()));
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(TOOL_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new HarnessException(String.join(" ", command) + " did not finish within " + TOOL_WAIT.toMinutes() + " minutes");
            }
            if (log != null) {
                String tail = process.exitValue() == 0 ? "" : "see " + log;
                return new Run(command, process.exitValue(), "", tail);
            }
            try {
                return new Run(command, process.exitValue(), Files.readString(output), Files.readString(errors));
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new HarnessException("Cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted while running " + String.join(" ", command), e);
        }
    }
}
