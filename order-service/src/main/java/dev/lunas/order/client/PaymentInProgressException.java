package dev.lunas.order.client;

import java.time.Duration;
import java.util.Optional;

/**
 * payment-service is creating this order's Snap transaction right now ({@code payment-in-progress}), e.g.
 * for a double-clicked Pay. Transient and no sign of an outage: the order stays payable, the caller asks
 * again after {@link #retryAfter()}, and the circuit breaker does not count it.
 */
public class PaymentInProgressException extends RuntimeException {

    private final transient Duration retryAfter;

    public PaymentInProgressException(Duration retryAfter) {
        super("payment-service is already creating this payment", null, false, false);
        this.retryAfter = retryAfter;
    }

    /** How long payment-service asked us to wait, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
