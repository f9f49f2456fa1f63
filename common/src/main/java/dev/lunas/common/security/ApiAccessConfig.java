package dev.lunas.common.security;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call the non-public parts of a service's HTTP API. Each caller has its own credential, and a
 * credential opens only the paths of its guard: the course platform's token reads entitlements and
 * nothing else, the relay's token delivers payment results and nothing else. {@code /internal} paths
 * that no guard names are closed to everyone.
 */
@ConfigMapping(prefix = "lunas.api")
public interface ApiAccessConfig {

    /** Bearer token for {@code /admin} endpoints (LUNAS_ADMIN_TOKEN); without one the admin API is switched off. */
    Optional<String> adminToken();

    /** The service's callers by name (for example {@code relay}, {@code entitlements}); empty when none. */
    Map<String, Guard> guards();

    /** One caller: the path prefixes it may call and the bearer token it presents. */
    interface Guard {

        /** Path prefixes this credential opens, e.g. {@code /internal/payment-events}. */
        List<String> paths();

        /**
         * The caller's bearer token. Empty closes the paths to everyone; outside the dev and test profiles
         * {@link RequiredSecrets} refuses to start without it.
         */
        Optional<String> token();
    }
}
