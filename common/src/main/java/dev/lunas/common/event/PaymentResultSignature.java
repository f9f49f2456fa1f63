package dev.lunas.common.event;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 that makes a {@link PaymentResult} something only payment-service can author. It covers
 * the event type (a signed PaymentFailed cannot be replayed as a PaymentSettled) and every field of the
 * result, each written as its length and its text so no two different results share a signed string;
 * {@code occurredAt} is taken to the millisecond, which JSON keeps.
 */
public final class PaymentResultSignature {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param key LUNAS_RESULT_SIGNING_KEY, held by payment-service and order-service only */
    public PaymentResultSignature(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("A result signing key is needed");
        }
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public PaymentResult sign(String eventType, PaymentResult result) {
        return result.withSignature(compute(eventType, result));
    }

    /** Constant-time; false for an unsigned result or a signature that is not ours. */
    public boolean verify(String eventType, PaymentResult result) {
        if (result.signature() == null || result.signature().length() != 64) {
            return false;
        }
        byte[] expected = compute(eventType, result).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, result.signature().getBytes(StandardCharsets.US_ASCII));
    }

    private String compute(String eventType, PaymentResult result) {
        StringBuilder signed = new StringBuilder(256);
        field(signed, eventType);
        field(signed, result.orderId());
        field(signed, result.transactionId());
        field(signed, result.transactionStatus());
        field(signed, result.fraudStatus());
        field(signed, result.paymentType());
        field(signed, result.grossAmount());
        field(signed, result.currency());
        field(signed, result.refundAmount());
        field(signed, result.source());
        field(signed, result.late());
        field(signed, result.occurredAt() == null ? null : result.occurredAt().toEpochMilli());
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is available in every Java runtime", e);
        }
    }

    /** "-;" for null, else "<length>:<text>;". */
    private static void field(StringBuilder signed, Object value) {
        if (value == null) {
            signed.append("-;");
            return;
        }
        String text = value.toString();
        signed.append(text.length()).append(':').append(text).append(';');
    }
}
