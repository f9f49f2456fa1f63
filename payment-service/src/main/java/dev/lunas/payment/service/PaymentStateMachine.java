package dev.lunas.payment.service;

import dev.lunas.common.event.EventTypes;
import dev.lunas.payment.model.EventOutcome;
import dev.lunas.payment.model.PaymentStatus;
import java.math.BigDecimal;
import java.util.List;

/**
 * docs/midtrans.md §c as a monotonic state machine: what a verified Midtrans status does to an attempt in
 * a given state. Never backwards: a late "pending" or "expire" after a settlement changes nothing;
 * after SETTLED only refunds, chargebacks and reversals are recorded (the attempt stays SETTLED).
 * <p>
 * Invariant: only money arriving for a PENDING attempt applies straight from a signed notification (the
 * signature does not cover the status, and a replayed notification must not take anything away).
 * Everything that takes money or access away (deny, cancel, expire, failure of a pending attempt;
 * refund, chargeback, reversal of a settled one) and money for a closed attempt is recorded as a claim
 * ({@link Effect#AWAIT_CONFIRMATION}) and applied only when Get Status reports it. A refund or
 * chargeback for an attempt not (yet) settled is {@link Effect#DEFER}red until the settlement applies.
 */
public final class PaymentStateMachine {

    /** What a (transaction_status, fraud_status) pair means for the money. */
    public enum Kind {
        /** settlement, or capture, with fraud_status accept or absent: the money arrived. */
        SUCCESS,
        /** pending, authorize, a challenged capture: nothing decided yet. */
        UNDECIDED,
        /** deny, cancel, failure, or a capture/settlement that the fraud check denied. */
        FAILURE,
        EXPIRY,
        REFUND,
        CHARGEBACK,
        /** A status string Midtrans may add one day: recorded, changes nothing. */
        UNKNOWN
    }

    /** What to do with the attempt. */
    public enum Effect {
        NONE(null, null, List.of()),
        SETTLE(EventTypes.PAYMENT_SETTLED, PaymentStatus.SETTLED, List.of(PaymentStatus.PENDING)),
        FAIL(EventTypes.PAYMENT_FAILED, PaymentStatus.FAILED, List.of(PaymentStatus.PENDING)),
        EXPIRE(EventTypes.PAYMENT_EXPIRED, PaymentStatus.EXPIRED, List.of(PaymentStatus.PENDING)),
        /** A late settlement Midtrans itself confirmed: the closed attempt becomes SETTLED. */
        LATE_SETTLE(EventTypes.PAYMENT_SETTLED, PaymentStatus.SETTLED, List.of(PaymentStatus.FAILED, PaymentStatus.EXPIRED)),
        /** A claim only a notification reported: recorded, applied when Get Status reports it too. */
        AWAIT_CONFIRMATION(null, null, List.of()),
        /** A refund or chargeback that overtook its settlement: recorded, re-evaluated once the settlement applies. */
        DEFER(null, null, List.of()),
        REFUND(EventTypes.PAYMENT_REFUNDED, null, List.of(PaymentStatus.SETTLED)),
        CHARGEBACK(EventTypes.PAYMENT_CHARGED_BACK, null, List.of(PaymentStatus.SETTLED)),
        /** A settled payment turned into deny/cancel (reversal): recorded; the attempt stays SETTLED. */
        REVERSE(EventTypes.PAYMENT_REVERSED, null, List.of(PaymentStatus.SETTLED));

        public final String eventType;
        /** The new status, or null when the status stays. */
        public final PaymentStatus target;
        /** The statuses the attempt must be in for this effect to apply. */
        public final List<PaymentStatus> from;

        Effect(String eventType, PaymentStatus target, List<PaymentStatus> from) {
            this.eventType = eventType;
            this.target = target;
            this.from = from;
        }

        public EventOutcome outcome() {
            return switch (this) {
                case NONE -> EventOutcome.IGNORED;
                case AWAIT_CONFIRMATION -> EventOutcome.AWAITING_CONFIRMATION;
                case DEFER -> EventOutcome.DEFERRED;
                default -> EventOutcome.APPLIED;
            };
        }
    }

    private PaymentStateMachine() {
    }

    public static Kind classify(String transactionStatus, String fraudStatus) {
        boolean fraudOk = fraudStatus == null || fraudStatus.equals("accept");
        return switch (transactionStatus) {
            case "settlement", "capture" -> {
                if (fraudOk) {
                    yield Kind.SUCCESS;
                }
                yield "deny".equals(fraudStatus) ? Kind.FAILURE : Kind.UNDECIDED;
            }
            case "pending", "authorize" -> Kind.UNDECIDED;
            case "deny", "cancel", "failure" -> Kind.FAILURE;
            case "expire" -> Kind.EXPIRY;
            case "refund", "partial_refund" -> Kind.REFUND;
            case "chargeback", "partial_chargeback" -> Kind.CHARGEBACK;
            default -> Kind.UNKNOWN;
        };
    }

    /**
     * @param confirmedByProvider true when the fact comes from Get Status (Midtrans answering us), which
     *                            is what every change but a settlement of a pending attempt needs
     */
    public static Effect decide(PaymentStatus current, String transactionStatus, String fraudStatus,
                                boolean confirmedByProvider) {
        Kind kind = classify(transactionStatus, fraudStatus);
        return switch (current) {
            case PENDING -> switch (kind) {
                case SUCCESS -> Effect.SETTLE;
                case FAILURE -> confirmed(Effect.FAIL, confirmedByProvider);
                case EXPIRY -> confirmed(Effect.EXPIRE, confirmedByProvider);
                case REFUND, CHARGEBACK -> Effect.DEFER;
                default -> Effect.NONE;
            };
            case SETTLED -> switch (kind) {
                case REFUND -> confirmed(Effect.REFUND, confirmedByProvider);
                case CHARGEBACK -> confirmed(Effect.CHARGEBACK, confirmedByProvider);
                // "failure" is not a documented successor of settlement; deny and cancel are (reversal,
                // or a cancelled card capture)
                case FAILURE -> transactionStatus.equals("failure") ? Effect.NONE : confirmed(Effect.REVERSE, confirmedByProvider);
                default -> Effect.NONE;
            };
            case FAILED, EXPIRED -> switch (kind) {
                case SUCCESS -> confirmed(Effect.LATE_SETTLE, confirmedByProvider);
                case REFUND, CHARGEBACK -> Effect.DEFER;
                default -> Effect.NONE;
            };
        };
    }

    /**
     * True when a Get Status answer of this (status, fraud) reports what a recorded claim said: the same
     * kind of fact, and for refunds and chargebacks the same cumulative amount.
     */
    public static boolean reports(String answerStatus, String answerFraud, String answerRefund,
                                  String claimStatus, String claimFraud, String claimRefund) {
        Kind answer = classify(answerStatus, answerFraud);
        Kind claim = classify(claimStatus, claimFraud);
        if (answer != claim || answer == Kind.UNKNOWN || answer == Kind.UNDECIDED) {
            return false;
        }
        if (answer == Kind.REFUND || answer == Kind.CHARGEBACK) {
            return answerRefund != null && claimRefund != null
                    && new BigDecimal(answerRefund).compareTo(new BigDecimal(claimRefund)) == 0;
        }
        return true;
    }

    private static Effect confirmed(Effect effect, boolean confirmedByProvider) {
        return confirmedByProvider ? effect : Effect.AWAIT_CONFIRMATION;
    }
}
