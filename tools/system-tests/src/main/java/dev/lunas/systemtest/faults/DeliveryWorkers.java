package dev.lunas.systemtest.faults;

import dev.lunas.launcher.run.Service;
import dev.lunas.launcher.run.ServiceProcess;
import dev.lunas.systemtest.harness.HarnessException;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * notification-service's delivery workers as the database knows them: each process leases deliveries under its
 * own owner id (pod name + a per-process UUID), which it logs once at start (WORKER_STARTED).
 */
final class DeliveryWorkers {

    private static final Pattern STARTED = Pattern.compile("Delivery worker (\\S+) relaying");

    private DeliveryWorkers() {
    }

    /** The owner id of the notification-service process running now. */
    static String current(SystemUnderTest system) {
        return of(system.process(Service.NOTIFICATION));
    }

    /** The owner id of this notification-service process (its latest start). */
    static String of(ServiceProcess process) {
        List<Path> logs = process.logFiles();
        Path stdout = logs.stream().filter(file -> !file.getFileName().toString().endsWith(".stderr.log"))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new HarnessException("notification-service has no log yet"));
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            Optional<String> id = workerIdIn(stdout);
            if (id.isPresent()) {
                return id.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new HarnessException("notification-service logged no WORKER_STARTED in " + stdout);
            }
            ScenarioRun.sleep(Duration.ofMillis(200));
        }
    }

    private static Optional<String> workerIdIn(Path log) {
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher started = STARTED.matcher(line);
                if (started.find()) {
                    return Optional.of(started.group(1));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + log, e);
        }
    }

    /** Deliveries the worker holds in SENDING right now: after a kill -9, the ones it was sending when it died. */
    static long sending(Db db, String workerId) {
        return db.count("select count(*) from notifications.delivery where status = 'SENDING' and locked_by = ?", workerId);
    }
}
