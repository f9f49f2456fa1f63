package dev.lunas.common.event;

/**
 * The names of the events services publish through their outbox tables (docs/architecture.md, "Events").
 * They are stored in {@code outbox.event_type} and are part of the contract between services.
 */
public final class EventTypes {

    /** orders: an order exists; payload {@link OrderCreated}. No consumer but metrics. */
    public static final String ORDER_CREATED = "OrderCreated";
    /** orders: a Snap token was issued and the order awaits payment; payload {@link PaymentInstructions}. */
    public static final String PAYMENT_REQUESTED = "PaymentRequested";
    /** orders: a pending order nears its expiry; payload {@link PaymentInstructions}. */
    public static final String PAYMENT_REMINDER_DUE = "PaymentReminderDue";
    /** orders: payment verified, entitlement granted; payload {@link OrderPaid}. */
    public static final String ORDER_PAID = "OrderPaid";
    /** orders: the order expired unpaid; payload {@link OrderExpired}. */
    public static final String ORDER_EXPIRED = "OrderExpired";

    /** payments: Midtrans confirmed the money arrived; payload {@link PaymentResult}. */
    public static final String PAYMENT_SETTLED = "PaymentSettled";
    /** payments: denied, cancelled or failed; payload {@link PaymentResult}. */
    public static final String PAYMENT_FAILED = "PaymentFailed";
    /** payments: the transaction expired unpaid; payload {@link PaymentResult}. */
    public static final String PAYMENT_EXPIRED = "PaymentExpired";
    /** payments: a refund or partial refund after settlement; payload {@link PaymentResult}. */
    public static final String PAYMENT_REFUNDED = "PaymentRefunded";
    /** payments: a chargeback or partial chargeback after settlement; payload {@link PaymentResult}. */
    public static final String PAYMENT_CHARGED_BACK = "PaymentChargedBack";
    /** payments: a settlement turned into a deny (reversal); payload {@link PaymentResult}. */
    public static final String PAYMENT_REVERSED = "PaymentReversed";

    /** any service: something needs a human now; payload {@link OpsAlert}, mailed to ALERT_EMAIL. */
    public static final String OPS_ALERT = "OpsAlert";

    private EventTypes() {
    }
}
