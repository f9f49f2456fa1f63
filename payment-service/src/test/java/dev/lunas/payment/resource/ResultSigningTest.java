package dev.lunas.payment.resource;

import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.pendingPayment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.event.PaymentResult;
import dev.lunas.common.event.PaymentResultSignature;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.payment.testing.Db;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.Midtrans.Note;
import dev.lunas.payment.testing.MidtransWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, defect 2: a payment result is something only payment-service can author. Every PaymentResult it
 * publishes carries an HMAC that verifies with the key it shares with order-service alone.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class ResultSigningTest {

    @InjectMidtrans
    WireMockServer midtrans;

    @BeforeEach
    void reset() {
        Db.reset();
        midtrans.resetAll();
    }

    @Test
    void defect2_thePublishedSettlementIsSignedForItsEventType() throws Exception {
        UUID orderId = pendingPayment(midtrans);

        deliver(Note.settlement(orderId, AMOUNT).json()).then().statusCode(200);

        PaymentResult published = new ObjectMapper().registerModule(new JavaTimeModule()).readValue((String) Db.single(
                "select payload::text from payments.outbox where aggregate_id = ? and event_type = 'PaymentSettled'",
                orderId.toString()), PaymentResult.class);
        PaymentResultSignature sharedKey = new PaymentResultSignature("test-result-signing-key");
        assertThat(published.signature()).hasSize(64);
        assertThat(sharedKey.verify("PaymentSettled", published)).isTrue();
        assertThat(sharedKey.verify("PaymentRefunded", published)).isFalse();
    }
}
