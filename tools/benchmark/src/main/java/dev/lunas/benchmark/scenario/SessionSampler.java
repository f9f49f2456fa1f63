package dev.lunas.benchmark.scenario;

import dev.lunas.benchmark.system.BenchDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts, twice a second while a load phase runs, the database sessions each service holds: the concurrency the
 * pgbench reference should match, as it really was.
 */
final class SessionSampler {

    private static final long INTERVAL_MILLIS = 500;

    private final BenchDatabase database;
    private final Map<String, Integer> peaks = new ConcurrentHashMap<>();
    private volatile Thread sampling;

    SessionSampler(BenchDatabase database) {
        this.database = database;
    }

    void start() {
        Thread thread = new Thread(this::sample, "bench-session-sampler");
        thread.setDaemon(true);
        sampling = thread;
        thread.start();
    }

    void stop() throws InterruptedException {
        Thread thread = sampling;
        sampling = null;
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
    }

    Map<String, Integer> peaks() {
        return new TreeMap<>(peaks);
    }

    private void sample() {
        while (sampling == Thread.currentThread()) {
            try {
                for (List<String> row : database.rows(BenchDatabase.SERVICES, "select application_name, count(*) from pg_stat_activity"
                        + " where datname = ? and application_name <> '' group by 1", BenchDatabase.SERVICES)) {
                    peaks.merge(row.get(0), Integer.parseInt(row.get(1)), Math::max);
                }
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                // a missed sample only lowers the peak a little; the next one tries again
            }
        }
    }
}
