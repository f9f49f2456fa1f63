package dev.lunas.launcher.measure;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine figures were taken on, written into the benchmark's and the fault suite's results: they mean little
 * without it.
 *
 * @param memoryMiB   the machine's memory ({@code memoryMb} in result files written before the name said the unit)
 * @param loadAverage the 1, 5 and 15 minute load averages when asked, as {@code /proc/loadavg} gives them
 */
public record Machine(String cpu, int cores, @JsonAlias("memoryMb") long memoryMiB, String os, String jvm, String loadAverage) {

    private static final Pattern MODEL = Pattern.compile("(?m)^model name\\s*:\\s*(.+)$");
    private static final Pattern MEMORY = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB");

    public static Machine describe() {
        String cpu = read("/proc/cpuinfo").flatMap(text -> first(MODEL, text)).orElse(System.getProperty("os.arch"));
        long memoryMiB = read("/proc/meminfo").flatMap(text -> first(MEMORY, text)).map(kb -> Long.parseLong(kb) / 1024).orElse(0L);
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memoryMiB,
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")",
                currentLoadAverage());
    }

    /** The 1, 5 and 15 minute load averages, or "unknown" off Linux. */
    public static String currentLoadAverage() {
        return read("/proc/loadavg").map(text -> {
            String[] parts = text.strip().split("\\s+");
            return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : text.strip();
        }).orElse("unknown");
    }

    private static Optional<String> first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Optional.of(matcher.group(1).strip()) : Optional.empty();
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
