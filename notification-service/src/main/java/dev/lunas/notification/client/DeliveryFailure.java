package dev.lunas.notification.client;

/**
 * Why a send did not succeed, and whether trying again can help. Permanent failures (an address the
 * provider rejects, a payload that cannot be rendered) go DEAD at once; the rest are retried with backoff.
 * The message is stored on the delivery row and shown to operators: it never contains a message body
 * or unmasked contact data.
 */
public class DeliveryFailure extends RuntimeException {

    private final boolean permanent;

    private DeliveryFailure(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    public static DeliveryFailure permanent(String message) {
        return new DeliveryFailure(message, true);
    }

    public static DeliveryFailure retryable(String message) {
        return new DeliveryFailure(message, false);
    }

    public boolean permanent() {
        return permanent;
    }

    /** Any other exception a send ends with: the network, a timeout, a bug. Assumed worth retrying. */
    public static DeliveryFailure of(Throwable failure) {
        if (failure instanceof DeliveryFailure known) {
            return known;
        }
        String message = failure.getMessage();
        return retryable(failure.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }
}
