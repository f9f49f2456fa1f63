package dev.lunas.systemtest.faults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.measure.Machine;
import dev.lunas.launcher.measure.ResultFiles;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The suite's results as {@code faults-latest.json} (for machines) and {@code faults-latest.md} (for people), each
 * with what they were measured on: the machine, the PostgreSQL and the commit. Every run replaces both.
 */
record FaultReport(Scale scale, Instant started, Instant finished, Machine machine, String postgresql, String commit,
                   List<ScenarioResult> results, Path runDirectory) {

    /** @return the Markdown file */
    Path write(Path directory) throws IOException {
        return ResultFiles.write(directory, "faults-latest", json(), markdown());
    }

    private ObjectNode json() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("suite", "Lunas fault suite: docs/reliability.md §8, T1–T11");
        root.put("scale", scale.name().toLowerCase(Locale.ROOT));
        root.put("startedAt", started.toString());
        root.put("finishedAt", finished.toString());
        root.put("verdict", verdict(results));
        root.put("runDirectory", runDirectory.toString());
        ObjectNode measuredOn = ((ObjectNode) ResultFiles.tree(machine)).put("postgresql", postgresql).put("commit", commit);
        root.set("machine", measuredOn);
        ArrayNode scenarios = root.putArray("scenarios");
        for (ScenarioResult result : results) {
            ObjectNode scenario = scenarios.addObject();
            scenario.put("id", result.id());
            scenario.put("title", result.title());
            scenario.put("status", result.status().name());
            scenario.put("reason", result.reason());
            scenario.put("seconds", seconds(result.elapsed()));
            scenario.put("lost", result.lost());
            scenario.put("duplicates", result.duplicates());
            scenario.put("duplicateBound", result.bound());
            ArrayNode checks = scenario.putArray("checks");
            result.checks().forEach(check -> checks.addObject().put("what", check.what()).put("passed", check.passed())
                    .put("detail", check.detail()));
            ArrayNode ledgers = scenario.putArray("ledgers");
            for (LedgerVerdict ledger : result.ledgers()) {
                ledgers.addObject().put("what", ledger.what()).put("lost", ledger.lost())
                        .put("duplicates", ledger.duplicates()).put("bound", ledger.bound())
                        .put("boundBasis", ledger.boundBasis()).put("balanced", ledger.balanced())
                        .put("report", ledger.report());
            }
            scenario.set("figures", ResultFiles.tree(result.figures()));
        }
        return root;
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Lunas fault suite: latest results\n\n");
        md.append("docs/reliability.md §8, scenarios T1–T11, ").append(scale.name().toLowerCase(Locale.ROOT))
                .append(" scale. Verdict: **").append(verdict(results)).append("**.\n\n");
        md.append("- run: ").append(started).append(" → ").append(finished).append(" (")
                .append(String.format(Locale.ROOT, "%.0f", seconds(Duration.between(started, finished)))).append(" s)\n");
        md.append("- machine: ").append(machine.cpu()).append(", ").append(machine.cores()).append(" cores, ")
                .append(machine.memoryMiB()).append(" MiB; ").append(machine.jvm()).append("; ").append(machine.os())
                .append("; ").append(postgresql).append("\n");
        md.append("- commit: ").append(commit).append("\n");
        md.append("- logs, caught messages and the harness journal: `").append(runDirectory).append("`\n\n");
        md.append("| scenario | verdict | lost | duplicates (bound) | time | first unmet criterion |\n|---|---|---|---|---|---|\n");
        for (ScenarioResult result : results) {
            md.append("| ").append(result.id()).append(" ").append(result.title()).append(" | ")
                    .append(result.status()).append(" | ").append(result.status() == ScenarioResult.Status.SKIPPED ? "–" : result.lost())
                    .append(" | ").append(result.status() == ScenarioResult.Status.SKIPPED ? "–"
                            : result.duplicates() + " (" + result.bound() + ")")
                    .append(" | ").append(String.format(Locale.ROOT, "%.0f s", seconds(result.elapsed()))).append(" | ")
                    .append(escape(result.reason())).append(" |\n");
        }
        for (ScenarioResult result : results) {
            md.append("\n## ").append(result.id()).append(" ").append(result.title()).append(": ").append(result.status())
                    .append("\n\n");
            if (!result.reason().isEmpty()) {
                md.append(result.reason()).append("\n\n");
            }
            for (Check check : result.checks()) {
                md.append("- ").append(check.passed() ? "✔" : "✘").append(" ").append(check.what()).append(": ")
                        .append(check.detail()).append("\n");
            }
            for (LedgerVerdict ledger : result.ledgers()) {
                md.append("- ").append(ledger.balanced() ? "✔" : "✘").append(" ledger of ").append(ledger.what())
                        .append(": lost ").append(ledger.lost()).append(", duplicates ").append(ledger.duplicates())
                        .append(" (bound ").append(ledger.bound()).append(": ").append(ledger.boundBasis()).append(")\n\n")
                        .append("  ```\n").append(ledger.report().lines().map(line -> "  " + line)
                                .collect(Collectors.joining("\n"))).append("\n  ```\n");
            }
            if (!result.figures().isEmpty()) {
                md.append("\n| figure | value |\n|---|---|\n");
                for (Map.Entry<String, Object> figure : result.figures().entrySet()) {
                    md.append("| ").append(figure.getKey()).append(" | ").append(escape(String.valueOf(figure.getValue())))
                            .append(" |\n");
                }
            }
        }
        return md.toString();
    }

    /** The server's version, and whether the harness runs it. */
    static String postgresql(SystemUnderTest system) {
        try (Connection db = system.connect(); Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("show server_version")) {
            row.next();
            return "PostgreSQL " + row.getString(1) + (system.database().embedded() ? " (embedded)" : " (external)");
        } catch (SQLException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The checked-out commit, read from .git (no git process): what the results belong to. */
    static String commit(Path repository) {
        try {
            Path git = repository.resolve(".git");
            String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
            if (!head.startsWith("ref: ")) {
                return head;
            }
            String ref = head.substring(5);
            Path loose = git.resolve(ref);
            if (Files.isRegularFile(loose)) {
                return Files.readString(loose, StandardCharsets.UTF_8).trim();
            }
            List<String> packed = Files.readAllLines(git.resolve("packed-refs"), StandardCharsets.UTF_8);
            return packed.stream().filter(line -> line.endsWith(" " + ref)).map(line -> line.substring(0, line.indexOf(' ')))
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String verdict(List<ScenarioResult> results) {
        long failed = results.stream().filter(r -> r.status() == ScenarioResult.Status.FAILED).count();
        long skipped = results.stream().filter(r -> r.status() == ScenarioResult.Status.SKIPPED).count();
        long passed = results.size() - failed - skipped;
        return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }

    private static double seconds(Duration duration) {
        return Math.round(duration.toMillis() / 100.0) / 10.0;
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
