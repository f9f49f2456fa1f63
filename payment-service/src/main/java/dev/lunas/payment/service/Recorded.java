package dev.lunas.payment.service;

import dev.lunas.payment.model.EventOutcome;
import dev.lunas.payment.model.PaymentStatus;
import dev.lunas.payment.service.PaymentStateMachine.Effect;
import java.util.List;
import java.util.UUID;

/**
 * What recording one Midtrans fact did, once its transaction committed: what the webhook and Get Status
 * callers answer and do next, and what {@link CommittedEffects} counts.
 *
 * @param orderId           our order, or null when the fact is about an order we have no attempt for
 * @param transactionStatus Midtrans's transaction_status as recorded, or {@link Reconciled#NOT_FOUND}
 * @param duplicate         the fact was already recorded (a redelivery); nothing new was written for it
 * @param statusAfter       the attempt's status after the fact, null for an unknown order
 * @param confirm           claims of this order now wait for Get Status: ask it right after the answer
 * @param alerts            the OpsAlerts this transaction wrote
 */
public record Recorded(UUID orderId, String transactionStatus, Effect effect, EventOutcome outcome, boolean duplicate,
                       PaymentStatus statusAfter, boolean confirm, List<PaymentAlert> alerts) {

    public Recorded {
        alerts = List.copyOf(alerts);
    }

    /** What the webhook answers: the stored outcome, or DUPLICATE for a redelivery. */
    public String answer() {
        return duplicate ? "DUPLICATE" : outcome.name();
    }
}
