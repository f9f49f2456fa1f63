package dev.lunas.systemtest.faults;

import dev.lunas.launcher.Launcher;
import dev.lunas.launcher.measure.Machine;
import dev.lunas.systemtest.harness.HarnessException;
import dev.lunas.systemtest.harness.SystemSettings;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fault suite (docs/reliability.md §8, T1–T11) as a command: starts the packaged services as separate processes
 * with the Midtrans simulator, the sinks and a fault proxy in front of SMTP, runs the scenarios named (all by
 * default) one after another on that system, prints a verdict per scenario with its numbers, and writes
 * {@code tools/system-tests/results/faults-latest.json} and {@code .md}. Exit code 0 when nothing failed.
 *
 * <pre>java -jar tools/system-tests/target/lunas-system-tests.jar [T1 … T11] [--quick] [--smtp-outage=10m]</pre>
 */
public final class FaultSuite {

    static final List<Scenario> ALL = List.of(new DuplicateWebhooks(), new CheckoutIdempotency(),
            new NotificationWorkerKill(), new PostgresRestart(), new SmtpOutage(), new MidtransOutage(), new ClockSkew(),
            new PoisonMessages(), new BacklogDrain(), new RollingDeploy(), new LongTransaction());

    private static final String USAGE = """
            Usage: java -jar tools/system-tests/target/lunas-system-tests.jar [T1 … T11] [--quick] [--smtp-outage=<d>]
              T1 … T11         the scenarios to run (default: all), in the suite's order
              --quick          small sizes: the whole suite in minutes (default: docs/reliability.md §8's sizes)
              --smtp-outage=d  how long T5 keeps SMTP away per variant, e.g. 90s, 10m (default: 60s quick, 10m full)
            Run it from the repository root after ./mvnw -B -q package -DskipTests -pl order-service,payment-service,\\
            notification-service,tools/system-tests (or a full build).""";

    private FaultSuite() {
    }

    public static void main(String[] args) {
        Launcher.quietLibraryLogging();
        PrintStream out = System.out;
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (arguments.help) {
            out.println(USAGE);
            return;
        }
        SystemSettings.Builder settings = SystemSettings.fromSystemProperties().crashSafeDatabase(true).smtpFaults(true);
        Path repository = settings.repository();
        if (System.getProperty(SystemSettings.WORK_PROPERTY) == null) {
            settings.workDirectory(repository.resolve("tools/system-tests/target/fault-suite"));
        }
        Instant started = Instant.now();
        out.printf(Locale.ROOT, "Lunas fault suite: %s at %s scale; starting the system…%n",
                String.join(" ", arguments.scenarios.stream().map(Scenario::id).toList()),
                arguments.scale.name().toLowerCase(Locale.ROOT));
        List<ScenarioResult> results = new ArrayList<>();
        Machine machine = Machine.describe();
        Path runDirectory;
        String postgresql;
        try (SystemUnderTest system = SystemUnderTest.start(settings.build())) {
            runDirectory = system.runDirectory();
            postgresql = FaultReport.postgresql(system);
            // the SMTP sink's connection threads die loudly when a fault cuts a mail short: the journal keeps it
            Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> system.note("thread " + thread.getName()
                    + " ended with " + failure));
            out.printf(Locale.ROOT, "System up (run folder %s)%n%s, %d cores, %d MiB, %s, %s%n%n", runDirectory,
                    machine.cpu(), machine.cores(), machine.memoryMiB(), machine.jvm(), postgresql);
            for (Scenario scenario : arguments.scenarios) {
                ScenarioResult result = ScenarioRunner.run(scenario, system, arguments.scale, arguments.options,
                        line -> out.println("  " + line));
                results.add(result);
                out.println(verdictLine(result));
                out.println();
            }
        } catch (HarnessException e) {
            System.err.println("The system could not be brought up: " + e.getMessage());
            System.exit(3);
            return;
        }
        FaultReport report = new FaultReport(arguments.scale, started, Instant.now(), machine, postgresql,
                FaultReport.commit(repository), results, runDirectory);
        Path written;
        try {
            written = report.write(repository.resolve("tools/system-tests/results"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the results", e);
        }
        out.println("Summary (" + FaultReport.verdict(results) + "):");
        results.forEach(result -> out.println("  " + verdictLine(result).lines().findFirst().orElse("")));
        out.println("Results: " + written + " and faults-latest.json");
        System.exit(results.stream().anyMatch(r -> r.status() == ScenarioResult.Status.FAILED) ? 1 : 0);
    }

    static String verdictLine(ScenarioResult result) {
        String head = String.format(Locale.ROOT, "%s %s: %s in %.0f s", result.id(), result.title(), result.status(),
                result.elapsed().toMillis() / 1000.0);
        if (result.status() == ScenarioResult.Status.SKIPPED) {
            return head + " (" + result.reason() + ")";
        }
        StringBuilder line = new StringBuilder(head).append(String.format(Locale.ROOT, " — lost %d, duplicates %d (bound %d)",
                result.lost(), result.duplicates(), result.bound()));
        if (!result.reason().isEmpty()) {
            line.append("; ").append(result.reason());
        }
        result.figures().forEach((name, value) -> line.append("\n    ").append(name).append(": ").append(value));
        return line.toString();
    }

    private static final class Arguments {
        final List<Scenario> scenarios = new ArrayList<>();
        Scale scale = Scale.FULL;
        SuiteOptions options = SuiteOptions.defaults();
        boolean help;

        static Arguments parse(String[] args) {
            Arguments parsed = new Arguments();
            Map<String, Scenario> byId = new LinkedHashMap<>();
            ALL.forEach(scenario -> byId.put(scenario.id(), scenario));
            List<String> named = new ArrayList<>();
            for (String arg : args) {
                if (arg.equals("--quick")) {
                    parsed.scale = Scale.QUICK;
                } else if (arg.equals("--help") || arg.equals("-h")) {
                    parsed.help = true;
                } else if (arg.startsWith("--smtp-outage=")) {
                    parsed.options = new SuiteOptions(Optional.of(duration(arg.substring("--smtp-outage=".length()))));
                } else if (byId.containsKey(arg.toUpperCase(Locale.ROOT))) {
                    named.add(arg.toUpperCase(Locale.ROOT));
                } else {
                    throw new IllegalArgumentException("Unknown argument: " + arg);
                }
            }
            byId.forEach((id, scenario) -> {
                if (named.isEmpty() || named.contains(id)) {
                    parsed.scenarios.add(scenario);
                }
            });
            return parsed;
        }

        /** "90s", "10m", "1h", or an ISO-8601 duration. */
        static Duration duration(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            try {
                if (lower.matches("[0-9]+(ms|s|m|h)")) {
                    long amount = Long.parseLong(lower.replaceAll("[a-z]", ""));
                    return switch (lower.replaceAll("[0-9]", "")) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        default -> Duration.ofHours(amount);
                    };
                }
                return Duration.parse(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Not a duration: " + text);
            }
        }
    }
}
