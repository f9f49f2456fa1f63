package dev.lunas.payment.service;

import dev.lunas.payment.config.PaymentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Midtrans's {@code signature_key}: lowercase hex SHA-512 of order_id + status_code + gross_amount +
 * server key, over the exact strings as sent ("100000.00" and "100000" sign differently). Plain
 * SHA-512, not an HMAC, and transaction_status is not covered (docs/midtrans.md §b).
 */
@ApplicationScoped
public class MidtransSignature {

    private final String serverKey;

    public MidtransSignature(PaymentConfig config) {
        this.serverKey = config.midtrans().serverKey().orElse("");
    }

    /** Constant-time: how much of a forged signature matches must not show in the response time. */
    public boolean matches(String orderId, String statusCode, String grossAmount, String signatureKey) {
        byte[] expected = compute(orderId, statusCode, grossAmount, serverKey).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signatureKey.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    public static String compute(String orderId, String statusCode, String grossAmount, String serverKey) {
        try {
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            byte[] digest = sha512.digest((orderId + statusCode + grossAmount + serverKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-512", e);
        }
    }
}
