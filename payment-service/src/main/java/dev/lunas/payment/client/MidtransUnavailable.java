package dev.lunas.payment.client;

/**
 * Midtrans did not answer usefully: 5xx, 429, a timeout or a broken connection. Retryable, counts
 * against the circuit breaker, and says nothing about whether the call took effect.
 */
public class MidtransUnavailable extends RuntimeException {

    public MidtransUnavailable(String message) {
        super(message, null, false, false);
    }

    public MidtransUnavailable(Throwable cause) {
        super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause, false, false);
    }

    static Throwable wrap(Throwable failure) {
        return failure instanceof MidtransRejected || failure instanceof TransactionNotFound
                || failure instanceof MidtransUnavailable ? failure : new MidtransUnavailable(failure);
    }
}
