package dev.lunas.payment.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;

/**
 * Native statements on the caller's session. Times travel as epoch seconds (to_timestamp /
 * make_interval) so the database never has to guess a time zone or a parameter type.
 */
final class Sql {

    private Sql() {
    }

    /** Runs a statement with positional parameters ?1, ?2, … and answers the number of rows it touched. */
    static Uni<Integer> execute(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.executeUpdate();
        });
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }
}
