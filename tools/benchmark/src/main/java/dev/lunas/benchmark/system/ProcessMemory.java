package dev.lunas.benchmark.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A process's resident memory as Linux reports it in {@code /proc/<pid>/status}. */
public record ProcessMemory(long residentKb, long peakResidentKb) {

    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");
    private static final Pattern PEAK = Pattern.compile("(?m)^VmHWM:\\s+(\\d+) kB");

    /** Empty off Linux, or once the process is gone. */
    public static Optional<ProcessMemory> of(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<ProcessMemory> parse(String status) {
        Matcher rss = RSS.matcher(status);
        Matcher peak = PEAK.matcher(status);
        if (!rss.find() || !peak.find()) {
            return Optional.empty();
        }
        return Optional.of(new ProcessMemory(Long.parseLong(rss.group(1)), Long.parseLong(peak.group(1))));
    }

    public double residentMb() {
        return residentKb / 1024.0;
    }

    public double peakResidentMb() {
        return peakResidentKb / 1024.0;
    }
}
