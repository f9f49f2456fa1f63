package dev.lunas.payment.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** payment-service's own settings; every key is also an environment variable (LUNAS_PAYMENT_…). */
@ConfigMapping(prefix = "lunas.payment")
public interface PaymentConfig {

    Midtrans midtrans();

    Snap snap();

    Webhook webhook();

    Reconciliation reconciliation();

    interface Midtrans {
        /** MIDTRANS_SERVER_KEY: authenticates our calls and signs Midtrans's notifications. Never logged. */
        Optional<String> serverKey();

        /** MIDTRANS_CLIENT_KEY: public key the storefront's Snap.js needs; handed out with the token. */
        Optional<String> clientKey();
    }

    interface Snap {
        /** Where Snap sends the customer after paying (callbacks.finish); Midtrans appends order_id and status. */
        String finishUrl();

        /**
         * How long one request owns the Snap call of an order. Longer than the whole fault-tolerant call
         * (two attempts and the retry delay), so a second caller never races a live call.
         */
        @WithDefault("15s")
        Duration lease();

        /** Retry-After sent with payment-provider-unavailable. */
        @WithDefault("10s")
        Duration unavailableRetryAfter();
    }

    interface Webhook {
        /** Largest notification accepted; real ones are a few KiB. */
        @WithDefault("64K")
        MemorySize maxBodySize();
    }

    interface Reconciliation {
        /** How often the job looks for due attempts (read by the job's @Scheduled expression). */
        String interval();

        /** Pause after start before the first run (read by the job's @Scheduled expression). */
        String initialDelay();

        /** A pending attempt is first checked this long after it was created... */
        @WithDefault("15m")
        Duration pendingThreshold();

        /** ...or this long before it expires, whichever comes first. */
        @WithDefault("5m")
        Duration nearExpiry();

        /** Pause between checks of an attempt that is still undecided. */
        @WithDefault("5m")
        Duration recheckInterval();

        /**
         * Longest pause between checks of a pending attempt Get Status keeps answering "doesn't exist" for:
         * the pause doubles from {@link #recheckInterval()} with each such answer up to this, and returns to
         * the regular pace once Midtrans knows the transaction.
         */
        @WithDefault("1h")
        Duration notFoundBackoffCap();

        /** Pause before a failed check (Midtrans unreachable) is repeated. */
        @WithDefault("1m")
        Duration retryInterval();

        /**
         * How long after its expiry a "Transaction doesn't exist" answer expires an attempt: covers a
         * customer who picked a method in the last seconds and clock differences with Midtrans.
         */
        @WithDefault("2m")
        Duration expiryGrace();

        /** Attempts claimed per run; each costs one Get Status call. */
        @WithDefault("20")
        int batchSize();
    }
}
