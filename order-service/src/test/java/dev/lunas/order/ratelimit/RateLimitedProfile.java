package dev.lunas.order.ratelimit;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Small limits, switched on only for the rate-limit tests (the rest of the suite runs with them off). The test
 * client is the trusted proxy, so each test names its own client addresses in X-Forwarded-For and starts from
 * empty counts; hour-long windows keep a window boundary out of a test's few seconds.
 */
public class RateLimitedProfile implements QuarkusTestProfile {

    public static final int CHECKOUTS_PER_ADDRESS = 3;
    public static final int CHECKOUTS_PER_EMAIL = 2;
    public static final int ADMIN_PER_CALLER = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("lunas.rate-limit.enabled", "true"),
                Map.entry("lunas.rate-limit.trusted-proxies", "127.0.0.0/8,::1"),
                Map.entry("lunas.rate-limit.rules.checkout-address.limit", String.valueOf(CHECKOUTS_PER_ADDRESS)),
                Map.entry("lunas.rate-limit.rules.checkout-address.window", "1h"),
                Map.entry("lunas.rate-limit.rules.checkout-email.limit", String.valueOf(CHECKOUTS_PER_EMAIL)),
                Map.entry("lunas.rate-limit.rules.checkout-email.window", "1h"),
                Map.entry("lunas.rate-limit.rules.admin.limit", String.valueOf(ADMIN_PER_CALLER)),
                Map.entry("lunas.rate-limit.rules.admin.window", "1h"));
    }
}
