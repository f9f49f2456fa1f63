package dev.lunas.payment.resource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.events;
import static dev.lunas.payment.testing.Api.pendingPayment;
import static dev.lunas.payment.testing.Api.reconcile;
import static dev.lunas.payment.testing.Api.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.payment.testing.Db;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.Midtrans;
import dev.lunas.payment.testing.Midtrans.Note;
import dev.lunas.payment.testing.MidtransWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 9: a refund that overtakes its settlement is deferred, not dropped: once the settlement
 * applies it becomes a claim Get Status confirms (defect 3), and it is published exactly once.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class RefundBeforeSettlementTest {

    @InjectMidtrans
    WireMockServer midtrans;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        Db.reset();
        midtrans.resetAll();
        breakers.resetAll();
    }

    @Test
    void defect9_refundThenSettlementThenRefundRedeliveredPublishesPaymentRefundedExactlyOnce() {
        UUID orderId = pendingPayment(midtrans);
        Note refund = Note.of(orderId).status("refund", "200").amount("99000.00").fraud("accept").set("refund_amount", "99000.00");
        Midtrans.stubStatus(midtrans, orderId, Note.of(orderId).status("refund", "200").amount("99000.00").fraud("accept")
                .set("refund_amount", "99000.00"));

        deliver(refund.json()).then().statusCode(200).body("outcome", equalTo("DEFERRED"));
        assertThat(events(orderId)).isEmpty();
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("APPLIED"));
        deliver(refund.json()).then().statusCode(200);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(events(orderId)).containsExactly("PaymentSettled", "PaymentRefunded"));
        deliver(refund.json()).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));
        reconcile(orderId).then().statusCode(200);
        assertThat(events(orderId)).containsExactly("PaymentSettled", "PaymentRefunded");
        assertThat(status(orderId)).isEqualTo("SETTLED");
        assertThat(Db.single("select outcome from payments.payment_event where order_id = ? and source = 'WEBHOOK'"
                + " and transaction_status = 'refund'", orderId.toString())).isEqualTo("CONFIRMED");
    }

    @Test
    void defect9_aDeferredRefundWhoseRedeliveryArrivesWhileGetStatusIsDownIsAppliedByTheReconciler() {
        UUID orderId = pendingPayment(midtrans);
        Note refund = Note.of(orderId).status("partial_refund", "200").amount("99000.00").fraud("accept")
                .set("refund_amount", "5000.00");
        midtrans.stubFor(Midtrans.statusOf(orderId).willReturn(aResponse().withStatus(503)));

        deliver(refund.json()).then().statusCode(200).body("outcome", equalTo("DEFERRED"));
        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200).body("outcome", equalTo("APPLIED"));
        deliver(refund.json()).then().statusCode(200);
        // the claim waits for Get Status, and the reconciler is due to ask again
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat((Boolean) Db.single(
                "select next_check_at is not null from payments.payment_attempt where order_id = ?", orderId)).isTrue());
        assertThat(events(orderId)).containsExactly("PaymentSettled");

        breakers.resetAll();
        Midtrans.stubStatus(midtrans, orderId, Note.of(orderId).status("partial_refund", "200").amount("99000.00").fraud("accept")
                .set("refund_amount", "5000.00"));
        reconcile(orderId).then().statusCode(200);

        assertThat(events(orderId)).containsExactly("PaymentSettled", "PaymentRefunded");
        assertThat(Db.single("select next_check_at from payments.payment_attempt where order_id = ?", orderId)).isNull();
    }
}
