package dev.lunas.benchmark.report;

import dev.lunas.benchmark.sql.Pgbench;

/**
 * The machine's own limit for one scenario's SQL: pgbench running the captured statements with as many connections
 * as the service's pool, once before the application runs and once after; the lower of the two counts, so a
 * database that got slower (bigger tables, bloat) during the run is not credited to the application.
 *
 * @param requestsPerScript how many requests of the scenario one pgbench transaction stands for
 * @param verification      how the run was checked to have done real work, or why it could not be
 */
public record Reference(int clients, String protocol, int requestsPerScript, Pgbench.Result before, Pgbench.Result after,
                        String verification) {

    /** Requests per second the database sustains for this SQL: the lower run, in the scenario's requests. */
    public Double requestsPerSecond() {
        Double lower = lower(before == null ? null : before.tps(), after == null ? null : after.tps());
        return lower == null ? null : lower * requestsPerScript;
    }

    /** The smaller of two measurements, ignoring one that is missing. */
    public static Double lower(Double a, Double b) {
        if (a == null || a <= 0) {
            return b == null || b <= 0 ? null : b;
        }
        if (b == null || b <= 0) {
            return a;
        }
        return Math.min(a, b);
    }

    /** {@code application / reference}, or null when there is no reference to compare with. */
    public static Double ratio(double application, Double reference) {
        if (reference == null || reference <= 0) {
            return null;
        }
        return application / reference;
    }
}
