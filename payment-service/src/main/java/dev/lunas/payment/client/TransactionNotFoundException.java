package dev.lunas.payment.client;

/**
 * Get Status: "Transaction doesn't exist." The usual answer for a Snap order whose customer never
 * chose a method; an answer, not an outage.
 */
public class TransactionNotFoundException extends RuntimeException {

    private final String body;

    public TransactionNotFoundException(String body) {
        super("Midtrans has no transaction for this order", null, false, false);
        this.body = body;
    }

    public String body() {
        return body;
    }
}
