package dev.lunas.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the {@link TestDatabase}. Put it, with the same arguments, on every
 * test class of a module so Quarkus boots once; the server itself lives as long as the test JVM.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestDatabase database = TestDatabase.get();
        return Map.of(
                "quarkus.datasource.reactive.url", database.reactiveUrl(),
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password(),
                // a server shared across runs must not keep the last run's rows
                "quarkus.flyway.clean-at-start", "true");
    }

    @Override
    public void stop() {
        // the server outlives the application: other test classes of this JVM reuse it
    }
}
