package dev.lunas.order.service;

/** Who an audit row says made a change. */
final class Actors {

    static final String STOREFRONT = "storefront";
    static final String EXPIRY_JOB = "system:order-expiry";
    static final String REMINDER_JOB = "system:payment-reminder";

    private Actors() {
    }

    /** A verified payment fact, by where payment-service learnt it (WEBHOOK or RECONCILIATION). */
    static String paymentService(String source) {
        return source == null || source.isBlank() ? "payment-service" : "payment-service:" + source.toLowerCase();
    }
}
