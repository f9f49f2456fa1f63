package dev.lunas.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PaymentResultSignatureTest {

    private final PaymentResultSignature signature = new PaymentResultSignature("k9Vq2xR7mT4pL8sW1nB6");
    private final PaymentResult result = new PaymentResult(UUID.randomUUID(), "tx-1", "settlement", "accept",
            "bank_transfer", 99000, "IDR", null, "WEBHOOK", false, Instant.parse("2026-12-04T08:00:00.123456Z"));

    @Test
    void aSignedResultVerifiesAfterItsTimeLosesItsMicroseconds() {
        PaymentResult signed = signature.sign("PaymentSettled", result);
        PaymentResult travelled = new PaymentResult(signed.orderId(), signed.transactionId(), signed.transactionStatus(),
                signed.fraudStatus(), signed.paymentType(), signed.grossAmount(), signed.currency(), signed.refundAmount(),
                signed.source(), signed.late(), Instant.parse("2026-12-04T08:00:00.123Z"), signed.signature());

        assertThat(signature.verify("PaymentSettled", travelled)).isTrue();
    }

    @Test
    void anyChangeOrAnotherKeyOrEventTypeBreaksIt() {
        PaymentResult signed = signature.sign("PaymentSettled", result);

        assertThat(signature.verify("PaymentSettled", result)).as("unsigned").isFalse();
        assertThat(signature.verify("PaymentRefunded", signed)).as("another event type").isFalse();
        assertThat(new PaymentResultSignature("another-key-entirely").verify("PaymentSettled", signed)).isFalse();
        assertThat(signature.verify("PaymentSettled", new PaymentResult(signed.orderId(), signed.transactionId(),
                signed.transactionStatus(), signed.fraudStatus(), signed.paymentType(), 1000, signed.currency(),
                signed.refundAmount(), signed.source(), signed.late(), signed.occurredAt(), signed.signature())))
                .as("amount changed").isFalse();
        // field boundaries are part of what is signed: moving text from one field to the next changes the signature
        assertThat(signature.verify("PaymentSettled", new PaymentResult(signed.orderId(), "tx-1settlement", "",
                signed.fraudStatus(), signed.paymentType(), signed.grossAmount(), signed.currency(), signed.refundAmount(),
                signed.source(), signed.late(), signed.occurredAt(), signed.signature()))).isFalse();
    }
}
