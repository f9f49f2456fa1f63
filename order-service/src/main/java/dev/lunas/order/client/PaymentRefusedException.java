package dev.lunas.order.client;

/**
 * payment-service refused a token because the payment has ended (or conflicts with an earlier attempt).
 * A business answer, not an outage: it neither trips the circuit breaker nor is retried.
 */
public class PaymentClosedException extends RuntimeException {

    public PaymentClosedException(String message) {
        super(message, null, false, false);
    }
}
