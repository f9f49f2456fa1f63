package dev.lunas.systemtest.faults;

import java.time.Duration;
import java.util.Map;

/**
 * notification-service with short leases, for the quick scale: a worker killed mid-send leaves its deliveries
 * SENDING until the lease runs out (production: 2 minutes, rescued within 30 s after), which would make a quick
 * run mostly waiting. The send timeout stays well under the lease, as in production.
 */
final class ShortLeases {

    static final Duration LEASE = Duration.ofSeconds(20);
    static final Duration RESCUE_INTERVAL = Duration.ofSeconds(5);

    static final Map<String, String> VARIABLES = Map.of(
            "LUNAS_NOTIFICATION_QUEUE_LEASE", LEASE.toSeconds() + "s",
            "LUNAS_NOTIFICATION_QUEUE_RESCUE_INTERVAL", RESCUE_INTERVAL.toSeconds() + "s",
            "LUNAS_NOTIFICATION_EMAIL_TIMEOUT", "10s");

    private ShortLeases() {
    }
}
