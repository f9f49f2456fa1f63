package dev.lunas.systemtest.harness;

import dev.lunas.launcher.http.PortProbe;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one PostgreSQL all three services share, each in its own schema: an embedded server (zonky, the
 * binaries pinned in the root pom) on a random port with its data in a temporary folder, or the server
 * named by {@code LUNAS_TEST_DATABASE_URL} (a JDBC URL; credentials in {@code LUNAS_TEST_DATABASE_USERNAME}
 * / {@code LUNAS_TEST_DATABASE_PASSWORD}, default postgres), whose Lunas schemas are dropped first so every
 * run starts empty: point it at a throw-away database only.
 *
 * <p>The embedded server can be stopped and started again under the running services ({@link #stop},
 * {@link #startAgain}, {@link #restart}), with {@code pg_ctl} as an operator or a crash would: a fast stop
 * disconnects every session, an immediate one kills the server without a checkpoint so the next start runs
 * crash recovery.
 */
public final class Database implements AutoCloseable {

    public static final String EXTERNAL_URL_VARIABLE = "LUNAS_TEST_DATABASE_URL";
    /** The schemas the services own; notification-service also reads the outbox tables of the first two. */
    public static final List<String> SCHEMAS = List.of("orders", "payments", "notifications");

    /** How {@code pg_ctl} stops the server. */
    public enum StopMode {
        /** Sessions are disconnected, their transactions rolled back, a checkpoint written. */
        FAST,
        /** Every server process quits at once, as in a crash: the next start replays the WAL. */
        IMMEDIATE
    }

    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Duration PG_CTL_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres embedded;
    private final Path logFile;
    private Path dataDirectory;
    private Path binDirectory;
    private List<String> serverOptions;
    private boolean down;
    private final String jdbcUrl;
    private final String username;
    private final String password;

    private Database(EmbeddedPostgres embedded, Path logFile, String jdbcUrl, String username, String password) {
        this.embedded = embedded;
        this.logFile = logFile;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    /**
     * @param crashSafe commit only once the WAL is written, so a crashed server loses no committed transaction
     *                  (the default trades that for speed: a test server normally never crashes)
     */
    static Database start(Path logFile, boolean crashSafe) {
        String external = System.getenv(EXTERNAL_URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            Database database = new Database(null, logFile, external, envOr("LUNAS_TEST_DATABASE_USERNAME", "postgres"),
                    envOr("LUNAS_TEST_DATABASE_PASSWORD", "postgres"));
            database.dropLunasSchemas();
            return database;
        }
        try {
            Files.createDirectories(logFile.getParent());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    // the fault suite restarts the server on its port: keep it where no outgoing connection lands
                    .setPort(PortProbe.freeListenPort())
                    // room for every service's pools across restarts, and the harness's own connections
                    .setServerConfig("max_connections", "200")
                    // a test server: durability across a machine crash buys nothing here, speed does
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", crashSafe ? "on" : "off")
                    .setServerConfig("full_page_writes", "off")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            return new Database(postgres, logFile, postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        } catch (IOException e) {
            throw new HarnessException("The embedded PostgreSQL did not start; see " + logFile, e);
        }
    }

    private void dropLunasSchemas() {
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("drop schema if exists " + String.join(", ", SCHEMAS) + " cascade");
        } catch (SQLException e) {
            throw new HarnessException("Cannot clear the Lunas schemas of " + jdbcUrl, e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The same database for the Vert.x reactive client, which takes the URL without "jdbc:" and parameters. */
    public String reactiveUrl() {
        String url = jdbcUrl.substring("jdbc:".length());
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** A new JDBC connection (the caller closes it), logged in as the services are. */
    public Connection connect() {
        try {
            return DriverManager.getConnection(jdbcUrl, username, password);
        } catch (SQLException e) {
            throw new HarnessException("Cannot connect to " + jdbcUrl, e);
        }
    }

    /** Whether the harness runs this server (and so can stop and start it). */
    public boolean embedded() {
        return embedded != null;
    }

    /**
     * Stops the server with {@code pg_ctl stop -m <mode>}, waiting until it is gone. The services keep running
     * and find their connections broken.
     */
    public synchronized void stop(StopMode mode) {
        locateServer();
        down = true;
        pgCtl("stop", "-m", mode.name().toLowerCase(Locale.ROOT));
    }

    /** Starts the stopped server again with the options it ran with, waiting until it takes connections. */
    public synchronized void startAgain() {
        if (serverOptions == null) {
            throw new HarnessException("The database was never stopped by the harness");
        }
        pgCtl("start", "-o", String.join(" ", serverOptions));
        down = false;
    }

    /** Starts the server again if the harness stopped it and nobody started it since. */
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
            throw new HarnessException("Interrupted while the database was down", e);
        } finally {
            startAgain();
        }
    }

    /**
     * Finds the running server's data folder, binaries and start options: its {@code postmaster.pid} names
     * the process, whose executable sits beside {@code pg_ctl}; {@code postmaster.opts} holds its arguments.
     */
    private void locateServer() {
        if (embedded == null) {
            throw new HarnessException("The database at " + jdbcUrl + " is not run by the harness and cannot be restarted");
        }
        try {
            if (dataDirectory == null) {
                try (Connection connection = connect(); Statement sql = connection.createStatement();
                     ResultSet row = sql.executeQuery("show data_directory")) {
                    row.next();
                    dataDirectory = Path.of(row.getString(1));
                }
                String pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).trim();
                binDirectory = Files.readSymbolicLink(Path.of("/proc", pid, "exe")).getParent();
            }
            serverOptions = startOptions(Files.readString(dataDirectory.resolve("postmaster.opts"), StandardCharsets.UTF_8));
        } catch (IOException | SQLException e) {
            throw new HarnessException("Cannot find the embedded PostgreSQL's files to restart it", e);
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
                throw new HarnessException("pg_ctl " + action + " did not finish; see " + logFile);
            }
            if (process.exitValue() != 0) {
                throw new HarnessException("pg_ctl " + action + " failed with exit code " + process.exitValue() + "; see " + logFile);
            }
        } catch (IOException e) {
            throw new HarnessException("Cannot run pg_ctl " + action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted while running pg_ctl " + action, e);
        }
    }

    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            throw new HarnessException("The embedded PostgreSQL did not stop cleanly", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
