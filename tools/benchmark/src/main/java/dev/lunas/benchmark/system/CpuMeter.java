package dev.lunas.benchmark.system;

import dev.lunas.launcher.measure.ProcessCpu;
import dev.lunas.launcher.run.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the machine's CPU went during a load phase, from Linux's {@code /proc}: each service JVM, PostgreSQL (the
 * postmaster and its backends) and the benchmark's own JVM (load generator, Midtrans simulator, mail and WhatsApp
 * sinks), and how busy all cores were. Off Linux every reading is empty.
 */
public final class CpuMeter {

    public static final String POSTGRES = "postgres";
    public static final String BENCH = "load generator and fakes";

    private final BenchSystem bench;
    private final Path postmasterPid;

    public CpuMeter(BenchSystem bench) {
        this.bench = bench;
        this.postmasterPid = bench.workspace().postgresData().resolve("postmaster.pid");
    }

    /** CPU ticks used so far by each part, and by the whole machine (busy, total). */
    public record Sample(Map<String, Long> ticks, long machineBusy, long machineTotal) {
    }

    public Sample sample() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            bench.system().pid(service).ifPresent(pid -> ticks.put(service + "@" + pid, ProcessCpu.ticks(pid)));
        }
        postmaster().ifPresent(pid -> ticks.put(POSTGRES, ProcessCpu.treeTicks(pid)));
        ticks.put(BENCH, ProcessCpu.ticks(ProcessHandle.current().pid()));
        long[] machine = machineTicks();
        return new Sample(ticks, machine[0], machine[1]);
    }

    /**
     * CPU milliseconds per request each part spent between two samples, and how busy the cores were. A service that
     * was restarted in between (another pid) is left out.
     */
    public static Usage between(Sample before, Sample after, long requests) {
        Map<String, Double> perRequest = new LinkedHashMap<>();
        long ours = 0;
        for (Map.Entry<String, Long> part : after.ticks().entrySet()) {
            Long earlier = before.ticks().get(part.getKey());
            if (earlier != null) {
                ours += part.getValue() - earlier;
                if (requests > 0) {
                    perRequest.put(part.getKey().replaceFirst("@\\d+$", ""),
                            Math.round((part.getValue() - earlier) * 1000 / ProcessCpu.TICKS_PER_SECOND / requests * 100) / 100.0);
                }
            }
        }
        long total = after.machineTotal() - before.machineTotal();
        long busy = after.machineBusy() - before.machineBusy();
        return new Usage(perRequest, percent(busy, total), percent(Math.max(0, busy - ours), total));
    }

    private static double percent(long part, long total) {
        return total <= 0 ? 0 : Math.round(1000.0 * part / total) / 10.0;
    }

    /**
     * @param msPerRequest       CPU milliseconds per successful request, by part of the system
     * @param machineBusyPercent share of all cores' time that was not idle
     * @param otherPercent       share of all cores' time used by anything else: other processes on the machine (a
     *                           figure taken while this is high is disturbed) and interrupt handling
     */
    public record Usage(Map<String, Double> msPerRequest, double machineBusyPercent, double otherPercent) {
    }

    private Optional<Long> postmaster() {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(postmasterPid).get(0).strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Busy and total ticks of all cores, from the first line of {@code /proc/stat}. */
    private static long[] machineTicks() {
        try {
            return parseMachine(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static long[] parseMachine(String cpuLine) {
        String[] fields = cpuLine.strip().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length; i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + (fields.length > 5 ? Long.parseLong(fields[5]) : 0);
        return new long[] {total - idle, total};
    }
}
