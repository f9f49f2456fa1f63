package dev.lunas.payment.resource;

import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.events;
import static dev.lunas.payment.testing.Api.pendingPayment;
import static dev.lunas.payment.testing.Api.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every row of the docs/midtrans.md §c mapping, end to end: a signed notification through the webhook,
 * then the attempt's status and the outbox events as order-service will see them. Empty fraud means
 * the field is absent; "settled first" rows settle the payment before the notification under test.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class StatusMappingTest {

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

    @ParameterizedTest(name = "{0}/{1} (status_code {2}, settled first: {3}) -> {4} {5}")
    @CsvSource({
            "capture, accept, 200, false, SETTLED, PaymentSettled",
            "capture, challenge, 201, false, PENDING, OpsAlert",
            "capture, deny, 202, false, FAILED, PaymentFailed",
            "settlement, accept, 200, false, SETTLED, PaymentSettled",
            "settlement, , 200, false, SETTLED, PaymentSettled",
            "pending, accept, 201, false, PENDING, ",
            "pending, , 201, true, SETTLED, PaymentSettled",
            "authorize, accept, 200, false, PENDING, ",
            "deny, , 202, false, FAILED, PaymentFailed",
            "cancel, accept, 202, false, FAILED, PaymentFailed",
            "failure, , 202, false, FAILED, PaymentFailed",
            "expire, , 202, false, EXPIRED, PaymentExpired",
            "expire, , 407, false, EXPIRED, PaymentExpired",
            "cancel, , 200, false, FAILED, PaymentFailed",
            "expire, , 202, true, SETTLED, PaymentSettled",
            "refund, accept, 200, true, SETTLED, PaymentSettled PaymentRefunded",
            "partial_refund, accept, 200, true, SETTLED, PaymentSettled PaymentRefunded",
            "chargeback, accept, 200, true, SETTLED, PaymentSettled PaymentChargedBack",
            "partial_chargeback, accept, 200, true, SETTLED, PaymentSettled PaymentChargedBack",
            "deny, , 202, true, SETTLED, PaymentSettled PaymentReversed",
            "brand_new_status, , 201, false, PENDING, ",
    })
    void eachMidtransStatusHasItsDocumentedEffect(String transactionStatus, String fraud, String statusCode,
                                                  boolean settledFirst, String expectedStatus, String expectedEvents) {
        UUID orderId = pendingPayment(midtrans);
        if (settledFirst) {
            deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200);
        }
        Note note = Note.of(orderId).status(transactionStatus, statusCode).amount("99000.00").fraud(fraud);
        if (transactionStatus.contains("refund") || transactionStatus.contains("chargeback")) {
            note.set("refund_amount", "99000.00");
        }

        Midtrans.stubStatus(midtrans, orderId, note);

        deliver(note.json()).then().statusCode(200);

        List<String> expected = expectedEvents == null ? List.of() : List.of(expectedEvents.split(" "));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(status(orderId)).isEqualTo(expectedStatus);
            assertThat(events(orderId)).containsExactlyElementsOf(expected);
        });
        assertThat(Db.count("select count(*) from payments.payment_event where order_id = ?", orderId.toString()))
                .isEqualTo(settledFirst ? 2 : 1);
    }
}
