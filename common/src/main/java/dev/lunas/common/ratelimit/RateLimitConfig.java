package dev.lunas.common.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Rate limits shared by every replica of a service through its database ({@code rate_limit} in the service's own
 * schema). A rule counts requests per key in fixed windows; one with no limit, or limit 0, is off.
 *
 * <pre>
 * lunas.rate-limit.rules.checkout-address.limit=60
 * lunas.rate-limit.rules.checkout-address.window=1m
 * lunas.rate-limit.rules.checkout-address.path=/api/orders     # exact, or a prefix ending in /**
 * lunas.rate-limit.rules.checkout-address.methods=POST         # default: every method
 * lunas.rate-limit.rules.checkout-address.key=address          # address (client address) or caller (bearer token)
 * </pre>
 *
 * A rule without a path is applied by the service's own code ({@link RateLimiter#enforce}).
 */
@ConfigMapping(prefix = "lunas.rate-limit")
public interface RateLimitConfig {

    /** Switches every rule off at once (the test suites, the benchmark and the fault suite run with it off). */
    @WithDefault("true")
    boolean enabled();

    /**
     * CIDRs (or single addresses) of the reverse proxies in front of the service. Only a request whose TCP peer is
     * one of them has its {@code X-Forwarded-For} read; the client is then its right-most address that is not
     * itself a trusted proxy. Empty: the TCP peer is the client.
     */
    Optional<List<String>> trustedProxies();

    /** A check that takes longer lets the request through (the limiter fails open). */
    @WithDefault("500ms")
    Duration timeout();

    /** At most this often a replica deletes windows that have ended, in the background of a check. */
    @WithDefault("1m")
    Duration cleanupEvery();

    /** Rows deleted by one cleanup at most. */
    @WithDefault("1000")
    int cleanupBatch();

    /** The schema of the {@code rate_limit} table; default the first of {@code quarkus.flyway.schemas}. */
    Optional<String> schema();

    Map<String, Rule> rules();

    interface Rule {

        /** Requests per window and key; missing or 0 switches the rule off. */
        OptionalInt limit();

        /** The window, whole seconds (windows are aligned to the epoch on the database clock). */
        @WithDefault("1m")
        Duration window();

        /** The path the filter applies the rule to: exact, or a prefix ending in {@code /**}. None: applied by code. */
        Optional<String> path();

        /** HTTP methods the rule counts; default all. */
        Optional<List<String>> methods();

        /** What a request is counted against. */
        @WithDefault("address")
        Key key();
    }

    enum Key {
        /** The client address ({@link ClientAddress}); IPv6 clients by their /64. */
        ADDRESS,
        /** The presented bearer token when it is a valid admin or service token, else the client address. */
        CALLER
    }
}
