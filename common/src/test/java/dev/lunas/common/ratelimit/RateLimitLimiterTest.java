package dev.lunas.common.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunas.common.problem.ProblemException;
import dev.lunas.common.testing.MigrationRollback;
import dev.lunas.common.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limiter against the real database: two limiters, each on a Vert.x and a connection pool of its own as two
 * replicas of a service would be, count against the same rows, so the limit holds across them even when they
 * are hit at the same moment.
 */
class RateLimitLimiterTest {

    private static final String SCHEMA = "ratelimit_check";

    private static Vertx vertx;
    private static final List<Pool> POOLS = new ArrayList<>();

    @BeforeAll
    static void migrate() {
        MigrationRollback.verify(TestDatabase.get(), SCHEMA, "classpath:db/ratelimit");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        POOLS.forEach(pool -> pool.closeAndAwait());
        vertx.closeAndAwait();
    }

    @Test
    void twoReplicasHitAtOnceAdmitExactlyTheLimitBetweenThem() {
        Map<String, RateLimitConfig.Rule> rules = Map.of("checkout-email", rule(10, Duration.ofHours(1)));
        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        RateLimiter replicaA = limiter(rules, pool(), metersA);
        RateLimiter replicaB = limiter(rules, pool(), metersB);
        String email = "budi+" + UUID.randomUUID() + "@example.com";

        List<CompletableFuture<RateLimiter.Verdict>> hits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            hits.add(replicaA.hit("checkout-email", email).subscribeAsCompletionStage());
            hits.add(replicaB.hit("checkout-email", email).subscribeAsCompletionStage());
        }
        List<RateLimiter.Verdict> verdicts = hits.stream().map(CompletableFuture::join).toList();

        assertThat(verdicts).filteredOn(RateLimiter.Verdict::allowed).hasSize(10);
        assertThat(verdicts).extracting(RateLimiter.Verdict::hits).containsExactlyInAnyOrderElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(verdicts).filteredOn(v -> !v.allowed()).allSatisfy(v -> assertThat(v.retryAfter())
                .isPositive().isLessThanOrEqualTo(Duration.ofHours(1)));
        double refused = metersA.get("rate.limit.refused").tag("rule", "checkout-email").counter().count()
                + metersB.get("rate.limit.refused").tag("rule", "checkout-email").counter().count();
        assertThat(refused).isEqualTo(30);

        // one row per window and key, and the key is not in it
        assertThat(rows("select bucket, hits from " + SCHEMA + ".rate_limit where hits = 40")).hasSize(1)
                .allSatisfy(row -> assertThat(row).doesNotContain(email).startsWith("checkout-email:"));
    }

    @Test
    void aRefusalIsA429ProblemWithRetryAfterAndOtherKeysAreNotAffected() {
        RateLimiter limiter = limiter(Map.of("webhook-address", rule(2, Duration.ofMinutes(10))), pool(), new SimpleMeterRegistry());
        String address = "address:198.51.100." + (int) (Math.random() * 250);
        String other = "address:" + UUID.randomUUID();

        limiter.enforce("webhook-address", address).await().atMost(Duration.ofSeconds(10));
        limiter.enforce("webhook-address", address).await().atMost(Duration.ofSeconds(10));
        assertThatThrownBy(() -> limiter.enforce("webhook-address", address).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(ProblemException.class, refused -> {
                    assertThat(refused.problem().status()).isEqualTo(429);
                    assertThat(refused.problem().type()).endsWith("/too-many-requests");
                    assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10));
                });
        assertThat(limiter.hit("webhook-address", other).await().atMost(Duration.ofSeconds(10)).allowed()).isTrue();
    }

    @Test
    void aRuleWithoutALimitOrSwitchedOffGloballyCountsNothing() {
        String key = "nobody-" + UUID.randomUUID();
        RateLimiter off = limiter(Map.of("admin", rule(0, Duration.ofMinutes(1))), pool(), new SimpleMeterRegistry());
        assertThat(off.enabled()).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(off.hit("admin", key).await().atMost(Duration.ofSeconds(10)).allowed()).isTrue();
            assertThat(off.hit("unknown-rule", key).await().atMost(Duration.ofSeconds(10)).allowed()).isTrue();
        }
        RateLimiter disabled = new RateLimiter(config(false, Map.of("admin", rule(1, Duration.ofMinutes(1))), Duration.ofHours(1)),
                RateLimitLimiterTest::firstPool, new SimpleMeterRegistry(), Optional.of(List.of(SCHEMA)));
        for (int i = 0; i < 3; i++) {
            assertThat(disabled.hit("admin", key).await().atMost(Duration.ofSeconds(10)).allowed()).isTrue();
        }
        assertThat(rows("select bucket from " + SCHEMA + ".rate_limit where bucket = 'admin:" + RateLimiter.hash(key) + "'")).isEmpty();
    }

    @Test
    void anUnreachableDatabaseFailsOpenAndIsCounted() {
        Pool nowhere = Pool.newInstance(PgBuilder.pool()
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(1).setDatabase("none")
                        .setUser("none").setPassword("none").setConnectTimeout(500))
                .with(new PoolOptions().setMaxSize(1)).using(vertx.getDelegate()).build());
        POOLS.add(nowhere);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimiter limiter = limiter(Map.of("checkout-address", rule(1, Duration.ofMinutes(1))), nowhere, meters);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.hit("checkout-address", "address:198.51.100.1").await().atMost(Duration.ofSeconds(10)).allowed()).isTrue();
        }
        assertThat(meters.get("rate.limit.failed.open").tag("rule", "checkout-address").counter().count()).isEqualTo(3);
        assertThat(meters.get("rate.limit.refused").tag("rule", "checkout-address").counter().count()).isZero();
    }

    @Test
    void endedWindowsAreDeletedInTheBackgroundInBoundedBatches() throws Exception {
        execute("insert into " + SCHEMA + ".rate_limit (bucket, window_start, hits)"
                + " select 'old:' || g, now() - interval '3 hours', 1 from generate_series(1, 25) g");
        RateLimitConfig config = config(true, Map.of("admin", rule(5, Duration.ofMinutes(1))), Duration.ZERO, 10);
        RateLimiter limiter = new RateLimiter(config, RateLimitLimiterTest::firstPool, new SimpleMeterRegistry(),
                Optional.of(List.of(SCHEMA)));

        limiter.hit("admin", "token:x").await().atMost(Duration.ofSeconds(10));
        waitFor(() -> count("select count(*) from " + SCHEMA + ".rate_limit where bucket like 'old:%'") == 15);
        limiter.hit("admin", "token:x").await().atMost(Duration.ofSeconds(10));
        limiter.hit("admin", "token:x").await().atMost(Duration.ofSeconds(10));
        waitFor(() -> count("select count(*) from " + SCHEMA + ".rate_limit where bucket like 'old:%'") == 0);
        assertThat(count("select hits from " + SCHEMA + ".rate_limit where bucket = 'admin:" + RateLimiter.hash("token:x") + "'"))
                .isEqualTo(3);
    }

    @Test
    void windowsMustBeWholeSeconds() {
        assertThatThrownBy(() -> limiter(Map.of("x", rule(1, Duration.ofMillis(1500))), pool(), new SimpleMeterRegistry()))
                .hasMessageContaining("lunas.rate-limit.rules.x.window");
    }

    // ---- support ----------------------------------------------------------------------------------------------

    private static RateLimiter limiter(Map<String, RateLimitConfig.Rule> rules, Pool pool, SimpleMeterRegistry meters) {
        return new RateLimiter(config(true, rules, Duration.ofHours(1)), () -> pool, meters, Optional.of(List.of(SCHEMA)));
    }

    private static synchronized Pool firstPool() {
        return POOLS.isEmpty() ? pool() : POOLS.get(0);
    }

    /** A pool of its own, as another replica has. */
    private static synchronized Pool pool() {
        TestDatabase database = TestDatabase.get();
        PgConnectOptions options = PgConnectOptions.fromUri(database.reactiveUrl())
                .setUser(database.username()).setPassword(database.password());
        Pool pool = Pool.newInstance(PgBuilder.pool().connectingTo(options).with(new PoolOptions().setMaxSize(4))
                .using(vertx.getDelegate()).build());
        POOLS.add(pool);
        return pool;
    }

    static RateLimitConfig.Rule rule(int limit, Duration window) {
        return new RateLimitConfig.Rule() {
            @Override
            public OptionalInt limit() {
                return OptionalInt.of(limit);
            }

            @Override
            public Duration window() {
                return window;
            }

            @Override
            public Optional<String> path() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> methods() {
                return Optional.empty();
            }

            @Override
            public RateLimitConfig.Key key() {
                return RateLimitConfig.Key.ADDRESS;
            }
        };
    }

    static RateLimitConfig config(boolean enabled, Map<String, RateLimitConfig.Rule> rules, Duration cleanupEvery) {
        return config(enabled, rules, cleanupEvery, 1000);
    }

    static RateLimitConfig config(boolean enabled, Map<String, RateLimitConfig.Rule> rules, Duration cleanupEvery, int batch) {
        return new RateLimitConfig() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public Optional<List<String>> trustedProxies() {
                return Optional.empty();
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration cleanupEvery() {
                return cleanupEvery;
            }

            @Override
            public int cleanupBatch() {
                return batch;
            }

            @Override
            public Optional<String> schema() {
                return Optional.empty();
            }

            @Override
            public Map<String, Rule> rules() {
                return rules;
            }
        };
    }

    private static List<String> rows(String sql) {
        try (Connection connection = TestDatabase.get().connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.append(i > 1 ? " " : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static long count(String sql) {
        return Long.parseLong(rows(sql).get(0));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = TestDatabase.get().connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(50);
        }
    }
}
