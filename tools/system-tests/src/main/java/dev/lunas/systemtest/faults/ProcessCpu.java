package dev.lunas.systemtest.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time processes have used, from {@code /proc/<pid>/stat} (user + system), for "how much of the machine
 * did PostgreSQL take during the drain". Linux only; elsewhere every reading is zero.
 */
final class ProcessCpu {

    /** The kernel's clock ticks per second, USER_HZ: 100 on every Linux architecture that matters here. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    static Duration of(long pid) {
        return Duration.ofMillis(Math.round(ticks(Path.of("/proc", String.valueOf(pid), "stat")) * 1000 / TICKS_PER_SECOND));
    }

    /** Every PostgreSQL server process on the machine (the postmaster, the backends, the background workers). */
    static Duration postgres() {
        long ticks = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                if (isPostgres(process)) {
                    ticks += ticks(process.resolve("stat"));
                }
            }
        } catch (IOException e) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.round(ticks * 1000 / TICKS_PER_SECOND));
    }

    private static boolean isPostgres(Path process) {
        try {
            return Files.readString(process.resolve("comm"), StandardCharsets.UTF_8).trim().equals("postgres");
        } catch (IOException e) {
            return false;
        }
    }

    /** utime + stime: fields 14 and 15, counted after the command name, which may itself contain spaces. */
    private static long ticks(Path stat) {
        try {
            String line = Files.readString(stat, StandardCharsets.UTF_8);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
