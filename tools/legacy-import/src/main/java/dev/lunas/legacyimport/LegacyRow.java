package dev.lunas.legacyimport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One row of the old shop's {@code orders} table exactly as SQLite stored it: each value is what the driver answers
 * for its storage class (a {@code Long}/{@code Integer}, a {@code Double}, a {@code String}, a {@code byte[]} or
 * null), so the rules can tell {@code 99000} from {@code 99000.5} and from {@code "Rp 99.000"}.
 *
 * @param rowNumber the row's place in the file (1-based), to name rows whose id is unusable
 */
public record LegacyRow(int rowNumber, Object id, Object customerName, Object email, Object phone, Object amount,
                        Object status, Object createdAt) {

    /**
     * SHA-256 of the row's values with their storage classes, hex: the same row read again gives the same
     * fingerprint, a row changed in the old shop since its import gives another.
     */
    public String sha256() {
        StringBuilder canonical = new StringBuilder();
        for (Object value : new Object[] {id, customerName, email, phone, amount, status, createdAt}) {
            canonical.append(kind(value)).append(':').append(text(value)).append('\u0000');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private static String kind(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Integer || value instanceof Long) {
            return "integer";
        }
        if (value instanceof Number) {
            return "real";
        }
        return value instanceof byte[] ? "blob" : "text";
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes) + Arrays.hashCode(bytes);
        }
        if (value instanceof Double number) {
            return Double.toString(number);
        }
        return value.toString();
    }
}
