package dev.lunas.benchmark.sql;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The machine's {@code pgbench}, run against the benchmark's PostgreSQL. */
public final class Pgbench {

    /** What to tell a person whose machine has no pgbench. */
    public static final String INSTALL_HINT = "pgbench was not found (neither on the PATH nor in /usr/lib/postgresql/*/bin)."
            + " Install it with `sudo apt-get install postgresql-client` (Debian/Ubuntu), `sudo dnf install postgresql`"
            + " (Fedora/RHEL) or `brew install libpq` (macOS), then run ./lunas bench again. Everything else is measured"
            + " without it, but no figure can be given as a ratio.";

    private static final Pattern TPS = Pattern.compile("(?m)^tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern PROCESSED = Pattern.compile("(?m)^number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("(?m)^number of failed transactions: (\\d+)");
    private static final Pattern LATENCY = Pattern.compile("(?m)^latency average = ([0-9.]+) ms");
    private static final Pattern ABORTED = Pattern.compile("(?m)^.*client \\d+ aborted.*$|^.*ERROR:.*$");

    private final Path executable;

    private Pgbench(Path executable) {
        this.executable = executable;
    }

    /** The pgbench on the PATH, else the newest under {@code /usr/lib/postgresql/<major>/bin}. */
    public static Optional<Pgbench> locate() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String folder : path.split(File.pathSeparator)) {
                Path candidate = Path.of(folder, "pgbench");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new Pgbench(candidate));
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> majors = Files.list(debian)) {
                return majors.map(major -> major.resolve("bin/pgbench")).filter(Files::isExecutable)
                        .max(Comparator.comparing(p -> majorOf(p.getParent().getParent())))
                        .map(Pgbench::new);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static int majorOf(Path folder) {
        try {
            return Integer.parseInt(folder.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public Path executable() {
        return executable;
    }

    /** {@code pgbench --version}, e.g. "pgbench (PostgreSQL) 15.20". */
    public String version() {
        try {
            Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Where and as whom pgbench connects. */
    public record Target(String host, int port, String database, String user, String password) {
    }

    /**
     * One run of a script.
     *
     * @param output the full output, kept in the result files for whoever doubts a figure
     */
    public record Result(int clients, double seconds, String mode, double tps, long transactions, long failed,
                         double latencyAverageMs, String output) {
    }

    /**
     * Runs {@code script} with {@code clients} connections for {@code duration}.
     *
     * @throws IllegalStateException when pgbench fails or a client aborts (the output says which statement)
     */
    public Result run(Target target, Path script, Map<String, String> variables, int clients, Duration duration,
                      boolean prepared) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-n",
                "-h", target.host(), "-p", String.valueOf(target.port()), "-U", target.user(),
                "-M", prepared ? "prepared" : "extended",
                "-c", String.valueOf(clients), "-j", String.valueOf(Math.min(2, clients)),
                "-T", String.valueOf(Math.max(1, duration.toSeconds()))));
        variables.forEach((name, value) -> {
            command.add("-D");
            command.add(name + "=" + value);
        });
        command.add("-f");
        command.add(script.toString());
        command.add(target.database());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", target.password());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("pgbench did not finish:\n" + output);
        }
        Result result = parse(output, clients, duration.toSeconds(), prepared ? "prepared" : "extended");
        if (process.exitValue() != 0 || result.transactions() == 0) {
            throw new IllegalStateException("pgbench failed (exit " + process.exitValue() + "): " + problems(output));
        }
        return result;
    }

    static Result parse(String output, int clients, double seconds, String mode) {
        return new Result(clients, seconds, mode, number(TPS, output), (long) number(PROCESSED, output),
                (long) number(FAILED, output), number(LATENCY, output), output);
    }

    private static double number(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static String problems(String output) {
        List<String> lines = new ArrayList<>();
        Matcher matcher = ABORTED.matcher(output);
        while (matcher.find() && lines.size() < 5) {
            lines.add(matcher.group().strip());
        }
        return lines.isEmpty() ? output.strip() : String.join("\n", lines);
    }
}
