package dev.lunas.benchmark;

import dev.lunas.benchmark.report.Figures;
import dev.lunas.benchmark.report.MarkdownReport;
import dev.lunas.benchmark.scenario.BenchRun;
import dev.lunas.benchmark.sql.Pgbench;
import dev.lunas.launcher.Launcher;
import dev.lunas.launcher.measure.ResultFiles;
import dev.lunas.launcher.run.Console;
import dev.lunas.launcher.run.LaunchException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./lunas bench}: starts its own Lunas, measures it, and writes {@code tools/benchmark/results/latest.json} and
 * {@code latest.md} ({@code quick.*} for {@code --quick}), printing the tables as well.
 */
public final class BenchCommand {

    static final String USAGE = "usage: bench [--quick] [--root <repository>] [--results <folder>]";

    private BenchCommand() {
    }

    public static void main(String[] args) {
        Launcher.quietLibraryLogging();
        System.exit(run(Arrays.asList(args), System.out));
    }

    /** @return 0 when the figures were written, 1 when the run failed, 2 on bad arguments */
    static int run(List<String> args, PrintStream out) {
        Console console = new Console(out);
        Optional<Options> options = Options.parse(args);
        if (options.isEmpty()) {
            console.error("Unknown options " + args + "\n" + USAGE);
            return 2;
        }
        Path root = options.get().root();
        BenchSettings settings = options.get().quick() ? BenchSettings.quick() : BenchSettings.standard();
        Optional<Pgbench> pgbench = Pgbench.locate();
        if (pgbench.isEmpty()) {
            console.error(Pgbench.INSTALL_HINT);
        }
        try {
            Figures.Report report = BenchRun.run(root, settings, pgbench, console, concurrentLocalRun(root));
            Path written = ResultFiles.write(options.get().results(), settings.mode().equals("quick") ? "quick" : "latest", report,
                    MarkdownReport.render(report));
            console.block("\n" + MarkdownReport.render(report));
            console.info("Results: " + written + " and " + written.resolveSibling(written.getFileName().toString().replace(".md", ".json")));
            return 0;
        } catch (LaunchException e) {
            console.error(e.getMessage());
            return 1;
        } catch (Exception e) {
            console.error("The benchmark failed: " + e);
            e.printStackTrace(out);
            return 1;
        }
    }

    /**
     * Whether a {@code ./lunas run} holds its lock here: its idle services then share the CPU with the measurement,
     * which the report says.
     */
    static String concurrentLocalRun(Path root) {
        Path lock = root.resolve(".lunas").resolve("launcher.lock");
        if (!Files.isRegularFile(lock)) {
            return "No ./lunas run was running in this repository.";
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock held = channel.tryLock();
            if (held == null) {
                return "A ./lunas run was running in this repository at the same time (its idle services shared the CPU).";
            }
            held.release();
            return "No ./lunas run was running in this repository.";
        } catch (IOException | RuntimeException e) {
            return "Whether a ./lunas run was running could not be told (" + e.getMessage() + ").";
        }
    }

    record Options(Path root, boolean quick, Path results) {

        static Optional<Options> parse(List<String> args) {
            Path root = Path.of("").toAbsolutePath();
            boolean quick = false;
            Path results = null;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--quick")) {
                    quick = true;
                } else if (arg.equals("--root") && i + 1 < args.size()) {
                    root = Path.of(args.get(++i)).toAbsolutePath();
                } else if (arg.equals("--results") && i + 1 < args.size()) {
                    results = Path.of(args.get(++i)).toAbsolutePath();
                } else {
                    return Optional.empty();
                }
            }
            return Optional.of(new Options(root, quick, results != null ? results : root.resolve("tools").resolve("benchmark").resolve("results")));
        }
    }
}
