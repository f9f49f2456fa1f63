package dev.lunas.launcher.midtrans;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * How a {@link MidtransSimulator} behaves. The defaults are those of the local run: Midtrans's notification
 * retry schedule (2, 10, 30, 90, 210 minutes) compressed so that a minute becomes a second, its 15 s
 * notification timeout, and no duplicates unless asked for.
 */
public final class SimulatorSettings {

    /** Midtrans's documented retry schedule with minutes read as seconds. */
    public static final List<Duration> COMPRESSED_RETRY_DELAYS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(210));

    final int port;
    final String serverKey;
    final String merchantId;
    final URI notificationUrl;
    final String publicHost;
    final List<Duration> retryDelays;
    final Duration notificationTimeout;
    final double duplicateRate;
    final Duration duplicateDelay;
    final Duration sweepInterval;
    final Clock clock;
    final Random random;
    final Consumer<String> events;
    final Path journal;

    private SimulatorSettings(Builder b) {
        this.port = b.port;
        this.serverKey = Objects.requireNonNull(b.serverKey, "serverKey");
        this.merchantId = b.merchantId;
        this.notificationUrl = b.notificationUrl;
        this.publicHost = b.publicHost;
        this.retryDelays = List.copyOf(b.retryDelays);
        this.notificationTimeout = b.notificationTimeout;
        this.duplicateRate = b.duplicateRate;
        this.duplicateDelay = b.duplicateDelay;
        this.sweepInterval = b.sweepInterval;
        this.clock = b.clock;
        this.random = b.random;
        this.events = b.events;
        this.journal = b.journal;
    }

    /** Settings for a simulator that accepts {@code serverKey} and notifies {@code notificationUrl}. */
    public static Builder builder(String serverKey, URI notificationUrl) {
        return new Builder(serverKey, notificationUrl);
    }

    public static final class Builder {
        private int port;
        private final String serverKey;
        private String merchantId = "G800000001";
        private final URI notificationUrl;
        private String publicHost = "localhost";
        private List<Duration> retryDelays = COMPRESSED_RETRY_DELAYS;
        private Duration notificationTimeout = Duration.ofSeconds(15);
        private double duplicateRate;
        private Duration duplicateDelay = Duration.ofSeconds(1);
        private Duration sweepInterval = Duration.ofSeconds(1);
        private Clock clock = Clock.systemUTC();
        private Random random = new Random();
        private Consumer<String> events = line -> { };
        private Path journal;

        private Builder(String serverKey, URI notificationUrl) {
            this.serverKey = serverKey;
            this.notificationUrl = notificationUrl;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder merchantId(String merchantId) {
            this.merchantId = merchantId;
            return this;
        }

        /** The host name put into {@code redirect_url}s, i.e. what a browser on this machine uses. */
        public Builder publicHost(String publicHost) {
            this.publicHost = publicHost;
            return this;
        }

        /** The wait before each retry of a failed notification; Midtrans makes at most five. */
        public Builder retryDelays(List<Duration> retryDelays) {
            this.retryDelays = retryDelays;
            return this;
        }

        public Builder notificationTimeout(Duration notificationTimeout) {
            this.notificationTimeout = notificationTimeout;
            return this;
        }

        /** The share (0..1) of delivered notifications that are sent a second time, as Midtrans now and then does. */
        public Builder duplicates(double rate, Duration delay) {
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("duplicate rate must be within 0..1, was " + rate);
            }
            this.duplicateRate = rate;
            this.duplicateDelay = delay;
            return this;
        }

        /** How often expired payment pages and pending payments are looked for. */
        public Builder sweepInterval(Duration sweepInterval) {
            this.sweepInterval = sweepInterval;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder random(Random random) {
            this.random = random;
            return this;
        }

        /** Receives one readable line per thing that happens (token issued, notification answered…). */
        public Builder events(Consumer<String> events) {
            this.events = events;
            return this;
        }

        /**
         * Keeps the transactions in this file and restores them on the next start, so the simulator remembers
         * what it did as long as the services' database does. Without it, everything is forgotten at close.
         */
        public Builder journal(Path file) {
            this.journal = file;
            return this;
        }

        public SimulatorSettings build() {
            return new SimulatorSettings(this);
        }
    }
}
