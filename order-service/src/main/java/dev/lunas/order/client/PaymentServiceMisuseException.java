package dev.lunas.order.client;

/**
 * payment-service answered a 4xx this client does not expect (a malformed request, a wrong service token,
 * an unknown problem type). A defect or misconfiguration on one side, not an outage: it is logged as an
 * error, the order stays payable, and the circuit breaker does not count it, so one bad request cannot
 * shut checkout for everyone.
 */
public class PaymentServiceMisuseException extends RuntimeException {

    public PaymentServiceMisuseException(int status, String slug) {
        super("payment-service answered " + status + (slug == null ? "" : " " + slug), null, false, false);
    }
}
