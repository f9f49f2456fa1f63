package dev.lunas.common.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Native statements on the caller's Hibernate Reactive session, so they commit or roll back with the rest of
 * its transaction. Times go in as numbers ({@link dev.lunas.common.sql.SqlTime}).
 */
public final class NativeSql {

    private NativeSql() {
    }

    /** Runs a statement with positional parameters ?1, ?2, … and answers the number of rows it touched. */
    public static Uni<Integer> execute(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.executeUpdate();
        });
    }
}
