package dev.lunas.order.client;

import java.time.Duration;
import java.util.Optional;

/** payment-service could not give a token now (unavailable, failing, or answering nonsense). */
public class PaymentServiceException extends RuntimeException {

    private final transient Duration retryAfter;

    public PaymentServiceException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    /** How long payment-service asked us to wait, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
