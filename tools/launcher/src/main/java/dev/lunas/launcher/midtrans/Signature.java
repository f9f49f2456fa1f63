package dev.lunas.launcher.midtrans;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Midtrans's {@code signature_key}: lowercase hex SHA-512 (not an HMAC) of order_id, status_code,
 * gross_amount and the server key, concatenated exactly as the strings appear in the body
 * (docs/midtrans.md §b), so gross_amount is hashed as "99000.00", never re-formatted from a number.
 */
public final class Signature {

    private Signature() {
    }

    public static String of(String orderId, String statusCode, String grossAmount, String serverKey) {
        try {
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            byte[] digest = sha512.digest((orderId + statusCode + grossAmount + serverKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-512", e);
        }
    }
}
