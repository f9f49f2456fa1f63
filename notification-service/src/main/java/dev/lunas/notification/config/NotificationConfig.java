package dev.lunas.notification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything notification-service can be told; the environment variable names are in application.properties. */
@ConfigMapping(prefix = "lunas.notification")
public interface NotificationConfig {

    /** Schemas whose {@code outbox} table the relay drains. */
    @WithDefault("orders,payments")
    List<String> sources();

    /** This pod in lease owner ids (POD_NAME / HOSTNAME); a per-process UUID is appended so a restarted pod is a new owner. */
    @WithDefault("notification-service")
    String workerName();

    /** How often every lane looks for work even without a NOTIFY: the bound on a missed wake-up. */
    @WithDefault("1s")
    Duration pollInterval();

    /** LISTEN on lunas_outbox so a committed event leaves within milliseconds. */
    @WithName("listen.enabled")
    @WithDefault("true")
    boolean listenEnabled();

    /** worker_alive drops to 0 when no lane cycle has run for this long. */
    @WithDefault("30s")
    Duration workerAliveTimeout();

    Relay relay();

    Queue queue();

    Retry retry();

    Cleanup cleanup();

    /** How often the outbox gauges are recomputed from the database. */
    @WithDefault("15s")
    Duration gaugeRefresh();

    Email email();

    Whatsapp whatsapp();

    Internal internal();

    Links links();

    interface Relay {
        /** Outbox rows claimed per transaction. */
        @WithDefault("100")
        int batchSize();
    }

    interface Queue {
        /** Deliveries claimed per channel at once; they are sent concurrently. */
        @WithDefault("16")
        int batchSize();

        /**
         * How long a claimed delivery belongs to this worker. Longer than any send can take (the channel
         * timeouts are far below it), so a live worker is never rescued from under itself.
         */
        @WithDefault("2m")
        Duration lease();

        /** How often expired leases (a worker that died mid-send) are returned to RETRY. */
        @WithDefault("30s")
        Duration rescueInterval();

        /** On shutdown, how long in-flight sends may take to finish before the rest is left to lease expiry. */
        @WithDefault("20s")
        Duration drainTimeout();
    }

    /**
     * Exponential backoff with equal jitter: the n-th failure waits between half and all of
     * min(cap, base * 2^(n-1)). Defaults give EMAIL and WHATSAPP 12 attempts over 1.1 to 2.2 hours;
     * INTERNAL has its own cap ({@link Internal#retryCap()}) and no attempt limit.
     */
    interface Retry {
        @WithDefault("10s")
        Duration base();

        @WithDefault("30m")
        Duration cap();
    }

    interface Cleanup {
        /** SENT and SKIPPED deliveries and SENT outbox rows older than this are deleted; DEAD rows never. */
        @WithDefault("7d")
        Duration retention();

        @WithDefault("5000")
        int batchSize();

        /** Upper bound of batches per table and run; what is left waits for the next run. */
        @WithDefault("100")
        int maxBatches();

        @WithDefault("1h")
        Duration interval();
    }

    /** Per-channel limits: timeout of one send and the breaker that stops claiming. */
    interface ChannelLimits {
        @WithDefault("15s")
        Duration timeout();

        Breaker breaker();
    }

    /** A channel whose deliveries go DEAD once this many attempts have failed (a message can be too late to matter). */
    interface AttemptLimited extends ChannelLimits {
        @WithDefault("12")
        int maxAttempts();
    }

    /** Opens when at least {@code failureRatio} of the last {@code window} sends failed transiently. */
    interface Breaker {
        @WithDefault("20")
        int window();

        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker claims nothing before one probe is allowed. */
        @WithDefault("60s")
        Duration delay();
    }

    interface Email extends AttemptLimited {
        /** The SMTP host (QUARKUS_MAILER_HOST); without it and without the mock mailer EMAIL is switched off. */
        Optional<String> smtpHost();

        /** Where OpsAlert events go (ALERT_EMAIL); without it they are skipped. */
        Optional<String> alertAddress();
    }

    interface Whatsapp extends AttemptLimited {
        /** WhatsApp Cloud API base, e.g. https://graph.facebook.com/v21.0; without it WHATSAPP is switched off. */
        Optional<URI> apiUrl();

        Optional<String> token();

        Optional<String> phoneNumberId();

        /** Language of the approved templates. */
        @WithDefault("id")
        String languageCode();

        /** Approved WhatsApp template name for each of our templates (defaults in application.properties). */
        Map<String, String> templates();
    }

    /**
     * Payment results to order-service. No attempt limit: a paid order must learn it was paid however long
     * order-service or its database is away; only order-service's definitive refusal ends a delivery.
     */
    interface Internal extends ChannelLimits {
        /** order-service, which applies payment results (ORDER_SERVICE_URL). */
        URI orderServiceUrl();

        /**
         * The relay credential presented to order-service's /internal/payment-events (LUNAS_RELAY_TOKEN); outside
         * dev and test RequiredSecrets refuses to start without it.
         */
        Optional<String> token();

        /** The longest wait between two attempts: how late a payment result can arrive after an outage ends. */
        @WithDefault("5m")
        Duration retryCap();
    }

    interface Links {
        /** Where a paying customer logs in to the course (COURSE_ACCESS_URL), unless the event names one. */
        String courseAccessUrl();

        /** Chat with support (SUPPORT_WHATSAPP_URL). */
        String supportWhatsappUrl();
    }

    Watchdog watchdog();

    /** Alerts to ALERT_EMAIL that work without Prometheus (WatchdogService, WatchdogJob). */
    interface Watchdog {
        /** Whether the scheduled job runs (tests run the watchdog themselves). */
        @WithDefault("true")
        boolean enabled();

        /** How often the conditions are checked. */
        @WithDefault("2m")
        Duration interval();

        /** How long after a mail about a condition that still holds the reminder goes. */
        @WithDefault("1h")
        Duration cooldown();

        /** How long the database probe ({@code SELECT 1}) may take before the database counts as unreachable. */
        @WithDefault("5s")
        Duration probeTimeout();

        /** How long a payment may be SETTLED with its order not PAID before it is an alert (SettledNotPaid). */
        @WithDefault("10m")
        Duration settledNotPaidAfter();

        /**
         * How long after its payment window or place hold ended an order may still be open before it is an alert
         * (OrdersPastDeadline); the expiry job normally closes it within its grace (10 minutes).
         */
        @WithDefault("30m")
        Duration openPastDeadline();
    }
}
