package dev.lunas.systemtest.faults;

import dev.lunas.systemtest.harness.Customer;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A storefront that does not give up: a checkout answered 5xx, 409 "in flight", or not at all is sent again
 * under the same Idempotency-Key after {@code Retry-After} (or a second), until it has a final answer or the
 * patience runs out. Every answer goes into the ledger.
 */
final class CheckoutClient {

    /** How one checkout ended: its last answer (null: never one) and how many requests it took. */
    record Outcome(String idempotencyKey, Customer customer, CheckoutLedger.Entry last, int requests) {
        boolean created() {
            return last != null && last.status() == 201;
        }
    }

    private final CheckoutLedger ledger;
    private final Duration patience;

    CheckoutClient(CheckoutLedger ledger, Duration patience) {
        this.ledger = ledger;
        this.patience = patience;
    }

    Outcome checkout(String packageId, Customer customer) {
        String key = UUID.randomUUID().toString();
        Instant deadline = Instant.now().plus(patience);
        CheckoutLedger.Entry last = null;
        int requests = 0;
        while (true) {
            requests++;
            Duration wait = Duration.ofSeconds(1);
            try {
                last = ledger.send(key, packageId, customer);
                if (!retryable(last)) {
                    return new Outcome(key, customer, last, requests);
                }
                wait = last.answer().header("Retry-After").map(CheckoutClient::seconds).orElse(wait);
            } catch (UncheckedIOException e) {
                // no answer at all: the same as a 5xx for a client
            }
            if (Instant.now().plus(wait).isAfter(deadline)) {
                return new Outcome(key, customer, last, requests);
            }
            ScenarioRun.sleep(wait);
        }
    }

    private static boolean retryable(CheckoutLedger.Entry entry) {
        return entry.status() >= 500 || (entry.status() == 409
                && entry.answer().json().path("type").asText().endsWith("/idempotency-key-in-use"));
    }

    private static Duration seconds(String header) {
        try {
            return Duration.ofSeconds(Math.max(1, Math.min(10, Long.parseLong(header.trim()))));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }
}
