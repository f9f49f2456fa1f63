package dev.lunas.launcher.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * CPU time processes have used, from Linux's {@code /proc/<pid>/stat} (user + system), for "how much of the machine
 * did this part take". Off Linux, and for a process that is gone, every reading is zero.
 */
public final class ProcessCpu {

    /** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ) on every mainstream architecture. */
    public static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** utime + stime of one process, in ticks. */
    public static long ticks(long pid) {
        return stat(Path.of("/proc", String.valueOf(pid), "stat")).map(ProcessCpu::ticks).orElse(0L);
    }

    /** A process and its children, in ticks (PostgreSQL's backends are the postmaster's children). */
    public static long treeTicks(long parent) {
        long ticks = ticks(parent);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                Optional<String[]> fields = stat(process.resolve("stat"));
                if (fields.isPresent() && Long.parseLong(fields.get()[1]) == parent) {
                    ticks += ticks(fields.get());
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    /** Every PostgreSQL server process on the machine (the postmasters, the backends, the background workers), in ticks. */
    public static long postgresTicks() {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                if (isPostgres(process)) {
                    ticks += stat(process.resolve("stat")).map(ProcessCpu::ticks).orElse(0L);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks;
    }

    public static Duration time(long ticks) {
        return Duration.ofMillis(Math.round(ticks * 1000 / TICKS_PER_SECOND));
    }

    private static boolean isPostgres(Path process) {
        try {
            return Files.readString(process.resolve("comm"), StandardCharsets.UTF_8).trim().equals("postgres");
        } catch (IOException e) {
            return false;
        }
    }

    private static long ticks(String[] fields) {
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name: [0] state, [1] ppid, … [11] utime, [12] stime. */
    static Optional<String[]> stat(Path file) {
        try {
            return parseStat(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The fields after the command name, which may itself contain spaces and parentheses. */
    static Optional<String[]> parseStat(String line) {
        int end = line.lastIndexOf(')');
        if (end < 0) {
            return Optional.empty();
        }
        String[] fields = line.substring(end + 2).strip().split(" ");
        return fields.length > 12 ? Optional.of(fields) : Optional.empty();
    }
}
