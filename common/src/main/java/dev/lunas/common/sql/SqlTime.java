package dev.lunas.common.sql;

import java.time.Duration;
import java.time.Instant;

/**
 * Times as the numbers a statement takes: durations as seconds for {@code make_interval(secs => ?)}, instants
 * as epoch seconds for {@code to_timestamp(?)}. Passing numbers means the database never has to guess a time
 * zone or a parameter type, whichever client (Hibernate Reactive or the Vert.x SQL client) sends them.
 */
public final class SqlTime {

    private SqlTime() {
    }

    /** A duration as (fractional) seconds, to the millisecond. */
    public static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** An instant as (fractional) seconds since the epoch, to the millisecond. */
    public static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }
}
