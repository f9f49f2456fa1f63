package dev.lunas.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * order-service settings ({@code lunas.order.*}); defaults and their reasons are in application.properties.
 * The job intervals ({@code every}) are read by the {@code @Scheduled} expressions and declared here so
 * that a malformed value stops the service at start.
 */
@ConfigMapping(prefix = "lunas.order")
public interface OrderConfig {

    /** How long a customer has to pay; also the Snap expiry payment-service asks Midtrans for. */
    Duration paymentWindow();

    /** Where a paid customer takes the course (COURSE_ACCESS_URL); stored on the entitlement. */
    String courseAccessUrl();

    /** The credential order-service presents to payment-service (LUNAS_PAYMENTS_TOKEN); never logged. */
    Optional<String> paymentsToken();

    Checkout checkout();

    Expiry expiry();

    Reminder reminder();

    IdempotencyKeys idempotencyKeys();

    Gauges gauges();

    interface Checkout {
        /** How long a request owns its Idempotency-Key while it asks payment-service for a token. */
        Duration lease();

        /** What the client is told to wait when payment-service cannot give a token right now. */
        Duration paymentRetryAfter();

        /**
         * How long an unpaid order of a limited package (one with a quota) holds its place; it expires then,
         * and the place is offered again. Used instead of the payment window when shorter.
         */
        Duration limitedHold();
    }

    interface Expiry {
        /** How often the expiry job runs. */
        Duration every();

        /** Extra time past expires_at before an open order is expired, for settlements still in flight. */
        Duration grace();

        /**
         * The grace for an order holding a limited package's place: short, so the place is offered again
         * soon after the hold lapses (a settled payment is never expired anyway: payment-service is asked).
         */
        Duration holdGrace();

        int batchSize();

        /** Upper bound of batches per run, so one run cannot hold the scheduler thread for long. */
        int maxBatches();
    }

    interface Reminder {
        /** How often the reminder job runs. */
        Duration every();

        /** How long before expiry a pending order gets its one payment reminder. */
        Duration lead();

        int batchSize();
    }

    interface IdempotencyKeys {
        /** Keys younger than this are never reaped (Stripe keeps them at least 24 h; Brandur reaps after 72 h). */
        Duration retention();

        int batchSize();

        /** Upper bound of batches per run; what is left waits for the next run. */
        @WithDefault("100")
        int maxBatches();

        /** How often the reaper runs. */
        Duration reapEvery();
    }

    interface Gauges {
        /** How often the pending gauges are read from the database. */
        Duration every();

        /** An order pending (CREATED or PENDING_PAYMENT) for longer than this since checkout counts in orders_pending_aging. */
        Duration pendingAgingAge();
    }
}
