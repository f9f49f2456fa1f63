package dev.lunas.common.security;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** Secrets that guard the non-public parts of every service's HTTP API. */
@ConfigMapping(prefix = "lunas.api")
public interface ApiAccessConfig {

    /** Shared secret that Lunas services present on each other's {@code /internal} endpoints. */
    String serviceToken();

    /** Bearer token for {@code /admin} endpoints; without one the admin API is switched off. */
    Optional<String> adminToken();

    /**
     * Path prefixes that need the service token besides {@code /internal}: endpoints another system
     * calls under a public-looking path (e.g. the course platform's entitlement check).
     */
    Optional<List<String>> extraServicePaths();
}
