package dev.lunas.order.client;

/**
 * payment-service refused a token for good: the payment has ended ({@code payment-closed}), an attempt
 * with another amount exists ({@code payment-conflict}) or Midtrans refused the transaction
 * ({@code payment-rejected}). A business answer, not an outage: it neither trips the circuit breaker nor
 * is retried.
 */
public class PaymentRefusedException extends RuntimeException {

    private final String slug;

    public PaymentRefusedException(String slug, int status) {
        super("payment-service refused a token: " + slug + " (" + status + ")", null, false, false);
        this.slug = slug;
    }

    /** The problem type's slug payment-service answered: payment-closed, payment-conflict or payment-rejected. */
    public String slug() {
        return slug;
    }

    /** True when the payment itself has ended, rather than this attempt being refused. */
    public boolean paymentEnded() {
        return ProblemTypes.PAYMENT_CLOSED.equals(slug);
    }
}
