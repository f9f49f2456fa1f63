package dev.lunas.payment.client;

import java.util.Locale;

/**
 * Midtrans refused the request (a 4xx): our request or our key is wrong, not Midtrans down. Never
 * retried and never counted against the circuit breaker.
 */
public class MidtransRejectedException extends RuntimeException {

    private final int status;
    private final String body;

    public MidtransRejectedException(int status, String body) {
        super("Midtrans answered HTTP " + status, null, false, false);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** The error_messages body (Midtrans's own words; it contains no secret), shortened. */
    public String body() {
        return body;
    }

    /** Snap's 400 for an order_id whose customer already chose a method (Indonesian or English locale). */
    public boolean orderIdAlreadyUsed() {
        String text = body.toLowerCase(Locale.ROOT);
        return status == 400 && text.contains("order_id")
                && (text.contains("sudah digunakan") || text.contains("already been taken") || text.contains("already used"));
    }
}
