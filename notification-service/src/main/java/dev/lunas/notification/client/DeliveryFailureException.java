package dev.lunas.notification.client;

/**
 * Why a send did not succeed, and whether trying again can help. Permanent failures (an address the
 * provider rejects, a payload that cannot be rendered) go DEAD at once; the rest are retried with backoff.
 * The message is stored on the delivery row and shown to operators: it never contains a message body
 * or unmasked contact data.
 */
public class DeliveryFailureException extends RuntimeException {

    private final boolean permanent;

    private DeliveryFailureException(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    public static DeliveryFailureException permanent(String message) {
        return new DeliveryFailureException(message, true);
    }

    public static DeliveryFailureException retryable(String message) {
        return new DeliveryFailureException(message, false);
    }

    public boolean permanent() {
        return permanent;
    }

    /** Any other exception a send ends with: the network, a timeout, a bug. Assumed worth retrying. */
    public static DeliveryFailureException of(Throwable failure) {
        if (failure instanceof DeliveryFailureException known) {
            return known;
        }
        String message = failure.getMessage();
        return retryable(failure.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }
}
