package dev.lunas.systemtest.faults;

import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/** What the results were measured on: they mean little without the machine. */
public record Machine(String cpu, int cores, long memoryMiB, String jvm, String os, String postgresql, String commit) {

    static Machine describe(SystemUnderTest system, Path repository) {
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), totalMemoryMiB(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                postgresql(system), commit(repository));
    }

    private static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch"));
    }

    private static long totalMemoryMiB() {
        return procLine("/proc/meminfo", "MemTotal")
                .map(value -> Long.parseLong(value.replaceAll("[^0-9]", "")) / 1024)
                .orElse(-1L);
    }

    private static Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String postgresql(SystemUnderTest system) {
        try (Connection db = system.connect(); Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("show server_version")) {
            row.next();
            return "PostgreSQL " + row.getString(1) + (system.database().embedded() ? " (embedded)" : " (external)");
        } catch (SQLException e) {
            return "unknown";
        }
    }

    /** The checked-out commit, read from .git (no git process): what the results belong to. */
    private static String commit(Path repository) {
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
}
