package dev.lunas.payment.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.payment.model.PaymentStatus;
import dev.lunas.payment.service.PaymentStateMachine.Effect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every row of docs/midtrans.md §c, for every state the attempt can be in. Empty fraud means "absent". */
class PaymentStateMachineTest {

    /** Defect 3: a signed notification applies directly only when money arrives for a pending payment. */
    @ParameterizedTest(name = "{1}/{2} on {0} from webhook -> {3}")
    @CsvSource({
            // the mapping table, on a pending payment
            "PENDING, capture, accept, SETTLE",
            "PENDING, capture, challenge, NONE",
            "PENDING, capture, deny, AWAIT_CONFIRMATION",
            "PENDING, settlement, accept, SETTLE",
            "PENDING, settlement, , SETTLE",
            "PENDING, pending, , NONE",
            "PENDING, pending, accept, NONE",
            "PENDING, authorize, accept, NONE",
            "PENDING, deny, , AWAIT_CONFIRMATION",
            "PENDING, cancel, accept, AWAIT_CONFIRMATION",
            "PENDING, failure, , AWAIT_CONFIRMATION",
            "PENDING, expire, , AWAIT_CONFIRMATION",
            "PENDING, refund, accept, DEFER",
            "PENDING, something_new, , NONE",
            // after settlement: never backwards, adjustments recorded
            "SETTLED, settlement, accept, NONE",
            "SETTLED, capture, accept, NONE",
            "SETTLED, pending, , NONE",
            "SETTLED, expire, , NONE",
            "SETTLED, failure, , NONE",
            "SETTLED, refund, accept, AWAIT_CONFIRMATION",
            "SETTLED, partial_refund, accept, AWAIT_CONFIRMATION",
            "SETTLED, chargeback, accept, AWAIT_CONFIRMATION",
            "SETTLED, partial_chargeback, accept, AWAIT_CONFIRMATION",
            "SETTLED, deny, , AWAIT_CONFIRMATION",
            "SETTLED, cancel, accept, AWAIT_CONFIRMATION",
            "SETTLED, something_new, , NONE",
            // closed payments: only money can reopen them, and only once confirmed
            "FAILED, settlement, accept, AWAIT_CONFIRMATION",
            "FAILED, capture, accept, AWAIT_CONFIRMATION",
            "FAILED, pending, , NONE",
            "FAILED, expire, , NONE",
            "FAILED, deny, , NONE",
            "EXPIRED, settlement, , AWAIT_CONFIRMATION",
            "EXPIRED, capture, challenge, NONE",
            "EXPIRED, deny, , NONE",
            "EXPIRED, refund, accept, DEFER",
    })
    void notificationsMoveTheAttemptOnlyForward(PaymentStatus current, String status, String fraud, Effect expected) {
        assertThat(PaymentStateMachine.decide(current, status, fraud, false)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{1}/{2} on {0} from Get Status -> {3}")
    @CsvSource({
            "FAILED, settlement, accept, LATE_SETTLE",
            "EXPIRED, capture, accept, LATE_SETTLE",
            "EXPIRED, settlement, , LATE_SETTLE",
            "EXPIRED, expire, , NONE",
            "FAILED, deny, , NONE",
            "PENDING, settlement, accept, SETTLE",
            "SETTLED, settlement, accept, NONE",
            // defect 3: what takes money or access away applies only from Get Status
            "PENDING, deny, , FAIL",
            "PENDING, cancel, , FAIL",
            "PENDING, failure, , FAIL",
            "PENDING, expire, , EXPIRE",
            "SETTLED, refund, accept, REFUND",
            "SETTLED, partial_chargeback, accept, CHARGEBACK",
            "SETTLED, deny, , REVERSE",
            "PENDING, refund, accept, DEFER",
    })
    void aLateSettlementIsAppliedOnlyWhenMidtransItselfConfirmsIt(PaymentStatus current, String status, String fraud,
                                                                 Effect expected) {
        assertThat(PaymentStateMachine.decide(current, status, fraud, true)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} moves {1} to {2}")
    @CsvSource({
            "SETTLE, PENDING, SETTLED",
            "FAIL, PENDING, FAILED",
            "EXPIRE, PENDING, EXPIRED",
            "LATE_SETTLE, FAILED, SETTLED",
            "LATE_SETTLE, EXPIRED, SETTLED",
    })
    void transitionsNameTheOnlyStatesTheyMayLeave(Effect effect, PaymentStatus from, PaymentStatus to) {
        assertThat(effect.from).contains(from).doesNotContain(PaymentStatus.SETTLED);
        assertThat(effect.target).isEqualTo(to);
    }
}
