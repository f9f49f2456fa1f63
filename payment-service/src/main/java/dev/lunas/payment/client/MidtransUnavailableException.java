package dev.lunas.payment.client;

/**
 * Midtrans did not answer usefully: 5xx, 429, a timeout or a broken connection. Retryable, counts
 * against the circuit breaker, and says nothing about whether the call took effect.
 */
public class MidtransUnavailableException extends RuntimeException {

    public MidtransUnavailableException(String message) {
        super(message, null, false, false);
    }

    public MidtransUnavailableException(Throwable cause) {
        super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause, false, false);
    }

    static Throwable wrap(Throwable failure) {
        return failure instanceof MidtransRejectedException || failure instanceof TransactionNotFoundException
                || failure instanceof MidtransUnavailableException ? failure : new MidtransUnavailableException(failure);
    }
}
