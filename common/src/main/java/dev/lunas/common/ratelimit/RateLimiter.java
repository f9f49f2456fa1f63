package dev.lunas.common.ratelimit;

import dev.lunas.common.problem.Problem;
import dev.lunas.common.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Counts requests per rule and key in the service's {@code rate_limit} table, so every replica sees the same
 * count: one atomic {@code insert … on conflict do update set hits = hits + 1 returning hits} per check, in fixed
 * windows aligned on the database clock. Keys are hashed (SHA-256, 128 bits kept): no address, email or token is
 * stored. When the database cannot answer within {@code lunas.rate-limit.timeout} the request is let through
 * (fail open, with a warning at most every 10 s): a request that needs the database then fails on its own.
 * Ended windows are deleted in the background, at most every {@code cleanup-every}, in bounded batches.
 *
 * <p>Meters: {@code rate_limit_refused_total{rule}} and {@code rate_limit_failed_open_total{rule}}, registered at
 * start for every rule that has a limit.
 */
@Startup
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    /** The outcome of one counted request. */
    public record Verdict(String rule, boolean allowed, long hits, int limit, Duration window, Duration retryAfter) {

        static Verdict open(String rule) {
            return new Verdict(rule, true, 0, 0, Duration.ZERO, Duration.ZERO);
        }

        /** The 429 problem a refused request is answered with. */
        public ProblemException refusal() {
            return new ProblemException(Problem.of(429, "too-many-requests", "Too many requests",
                    "Too many requests of this kind (" + rule + ": at most " + limit + " per " + describe(window)
                            + "); retry after " + retryAfter.toSeconds() + " s"), retryAfter);
        }
    }

    /** A rule the request filter applies by path and method. */
    public record PathRule(String name, String path, boolean prefix, List<String> methods, RateLimitConfig.Key key) {

        boolean matches(String method, String requestPath) {
            if (!methods.isEmpty() && !methods.contains(method.toUpperCase(Locale.ROOT))) {
                return false;
            }
            if (prefix) {
                return requestPath.equals(path) || requestPath.startsWith(path + "/");
            }
            return requestPath.equals(path) || requestPath.equals(path + "/");
        }
    }

    private record Limit(int limit, int windowSeconds) {
    }

    private final boolean enabled;
    private final Supplier<Pool> pools;
    private final Duration timeout;
    private final long cleanupEveryNanos;
    private final int cleanupBatch;
    private final ClientAddress clientAddress;
    private final Map<String, Limit> limits = new LinkedHashMap<>();
    private final List<PathRule> pathRules = new ArrayList<>();
    private final Map<String, Counter> refused = new LinkedHashMap<>();
    private final Map<String, Counter> failedOpen = new LinkedHashMap<>();
    private final String hitSql;
    private final String cleanupSql;
    private final int longestWindowSeconds;
    private final AtomicLong lastCleanup = new AtomicLong(System.nanoTime());
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    @Inject
    public RateLimiter(RateLimitConfig config, Instance<Pool> pools, MeterRegistry registry,
                       @ConfigProperty(name = "quarkus.flyway.schemas") Optional<List<String>> flywaySchemas) {
        this(config, () -> pools.isResolvable() ? pools.get() : null, registry, flywaySchemas);
    }

    /** For tests: a limiter on a pool of its own, as another replica would have. */
    RateLimiter(RateLimitConfig config, Supplier<Pool> pools, MeterRegistry registry, Optional<List<String>> flywaySchemas) {
        this.pools = pools;
        this.timeout = config.timeout();
        this.cleanupEveryNanos = config.cleanupEvery().toNanos();
        this.cleanupBatch = config.cleanupBatch();
        this.clientAddress = new ClientAddress(config.trustedProxies().orElse(List.of()));
        int longest = 1;
        for (Map.Entry<String, RateLimitConfig.Rule> entry : config.rules().entrySet()) {
            String name = entry.getKey();
            RateLimitConfig.Rule rule = entry.getValue();
            int limit = rule.limit().orElse(0);
            if (limit <= 0) {
                continue;
            }
            long seconds = rule.window().toSeconds();
            if (seconds < 1 || rule.window().toNanos() % 1_000_000_000L != 0 || seconds > Duration.ofDays(1).toSeconds()) {
                throw new IllegalArgumentException("lunas.rate-limit.rules." + name + ".window must be whole seconds"
                        + " between 1 s and 1 day, not " + rule.window());
            }
            limits.put(name, new Limit(limit, (int) seconds));
            longest = Math.max(longest, (int) seconds);
            rule.path().ifPresent(path -> pathRules.add(pathRule(name, path, rule)));
            refused.put(name, Counter.builder("rate.limit.refused").description("Requests refused with 429 by a rate limit")
                    .tag("rule", name).register(registry));
            failedOpen.put(name, Counter.builder("rate.limit.failed.open")
                    .description("Requests let through because the rate limit could not be checked")
                    .tag("rule", name).register(registry));
        }
        this.longestWindowSeconds = longest;
        this.enabled = config.enabled() && !limits.isEmpty();
        String schema = config.schema().or(() -> flywaySchemas.flatMap(s -> s.stream().findFirst())).orElse("public").trim();
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("lunas.rate-limit.schema: '" + schema + "' is not a plain schema name");
        }
        String table = schema + ".rate_limit";
        this.hitSql = "insert into " + table + " as r (bucket, window_start, hits)"
                + " values ($1, date_bin(make_interval(secs => $2::int), now(), timestamptz 'epoch'), 1)"
                + " on conflict (bucket, window_start) do update set hits = r.hits + 1"
                + " returning r.hits, extract(epoch from r.window_start + make_interval(secs => $2::int) - now())::float8";
        this.cleanupSql = "delete from " + table + " where (bucket, window_start) in (select bucket, window_start from "
                + table + " where window_start < now() - make_interval(secs => $1::int) limit $2::int)";
        if (enabled) {
            LOG.infof("Rate limits on: %s%s", describeRules(),
                    config.trustedProxies().map(p -> "; trusted proxies " + p).orElse("; no trusted proxies"));
        } else if (!limits.isEmpty()) {
            LOG.info("Rate limits switched off (lunas.rate-limit.enabled=false)");
        }
    }

    /** Whether any rule is on. */
    public boolean enabled() {
        return enabled;
    }

    /** The rules with a path, in configuration order. */
    public List<PathRule> pathRules() {
        return enabled ? pathRules : List.of();
    }

    public ClientAddress clientAddress() {
        return clientAddress;
    }

    /**
     * Counts one request against the rule for this key and fails with a 429 {@link ProblemException} (with
     * Retry-After) when the rule's limit is exceeded. A rule that is off, or a database that cannot answer, lets
     * the request through.
     */
    public Uni<Void> enforce(String rule, String key) {
        return hit(rule, key).map(verdict -> {
            if (!verdict.allowed()) {
                throw verdict.refusal();
            }
            return null;
        });
    }

    /** Counts one request against the rule for this key. */
    public Uni<Verdict> hit(String rule, String key) {
        Limit limit = limits.get(rule);
        if (!enabled || limit == null) {
            return Uni.createFrom().item(Verdict.open(rule));
        }
        Pool pool = pools.get();
        if (pool == null) {
            return Uni.createFrom().item(failOpen(rule, new IllegalStateException("no reactive datasource")));
        }
        String bucket = rule + ":" + hash(key);
        Uni<Verdict> check = pool.preparedQuery(hitSql).execute(Tuple.of(bucket, limit.windowSeconds()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    long hits = row.getLong(0);
                    long retryAfter = Math.max(1, (long) Math.ceil(row.getDouble(1)));
                    boolean allowed = hits <= limit.limit();
                    if (!allowed) {
                        refused.get(rule).increment();
                    }
                    return new Verdict(rule, allowed, hits, limit.limit(), Duration.ofSeconds(limit.windowSeconds()),
                            Duration.ofSeconds(retryAfter));
                });
        return check.ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(failure -> failOpen(rule, failure))
                .invoke(() -> cleanUpNowAndThen(pool));
    }

    private Verdict failOpen(String rule, Throwable failure) {
        failedOpen.get(rule).increment();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warnf("Rate limit %s not checked, request let through: %s", rule, failure.toString());
        }
        return Verdict.open(rule);
    }

    /** Deletes ended windows in the background, at most every cleanup-every per replica, in one bounded batch. */
    private void cleanUpNowAndThen(Pool pool) {
        long now = System.nanoTime();
        long last = lastCleanup.get();
        if (now - last < cleanupEveryNanos || !lastCleanup.compareAndSet(last, now)) {
            return;
        }
        pool.preparedQuery(cleanupSql).execute(Tuple.of(longestWindowSeconds, cleanupBatch))
                .subscribe().with(rows -> LOG.debugf("Rate limits: %d ended windows deleted", rows.rowCount()),
                        failure -> LOG.debugf("Rate limits: cleanup failed: %s", failure));
    }

    /** 128 bits of SHA-256, hex: the table holds no address, email or token. */
    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PathRule pathRule(String name, String path, RateLimitConfig.Rule rule) {
        String trimmed = path.trim();
        boolean prefix = trimmed.endsWith("/**");
        String base = prefix ? trimmed.substring(0, trimmed.length() - 3) : trimmed;
        if (!base.startsWith("/")) {
            throw new IllegalArgumentException("lunas.rate-limit.rules." + name + ".path must start with '/': " + path);
        }
        while (base.length() > 1 && base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        List<String> methods = rule.methods().orElse(List.of()).stream()
                .map(m -> m.trim().toUpperCase(Locale.ROOT)).filter(m -> !m.isEmpty()).toList();
        return new PathRule(name, base, prefix, methods, rule.key());
    }

    private String describeRules() {
        List<String> described = new ArrayList<>();
        limits.forEach((name, limit) -> described.add(name + " " + limit.limit() + "/" + describe(Duration.ofSeconds(limit.windowSeconds()))));
        return String.join(", ", described);
    }

    static String describe(Duration window) {
        long seconds = window.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return seconds + " s";
    }
}
