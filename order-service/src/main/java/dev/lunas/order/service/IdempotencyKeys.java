package dev.lunas.order.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The Idempotency-Key header (IETF draft-ietf-httpapi-idempotency-key-header) and request fingerprints. */
final class IdempotencyKeys {

    private static final int MIN_LENGTH = 16;
    private static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /**
     * The key, from a bare token or the draft's quoted sf-string form ({@code "…"} with {@code \"} and
     * {@code \\} escapes); both spellings of one key are the same key. A short key is refused because a
     * guessable key would let a stranger replay someone else's answer.
     */
    static String parse(String header) {
        if (header == null || header.isBlank()) {
            throw ProblemException.badRequest("idempotency-key-missing",
                    "Send an Idempotency-Key header (e.g. a UUID) so a repeated request cannot create a second order");
        }
        String value = header.strip();
        if (value.startsWith("\"")) {
            value = unquote(value);
        }
        if (value.length() < MIN_LENGTH || value.length() > MAX_LENGTH || !printable(value)) {
            throw invalid();
        }
        return value;
    }

    /** SHA-256 over the endpoint and the canonical request; a different body under the same key differs here. */
    static String fingerprint(CheckoutCommand command, ObjectMapper json) {
        try {
            byte[] canonical = ("POST /api/orders\n" + json.writeValueAsString(command)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint a checkout request", e);
        }
    }

    private static String unquote(String quoted) {
        if (quoted.length() < 2 || !quoted.endsWith("\"")) {
            throw invalid();
        }
        StringBuilder value = new StringBuilder(quoted.length());
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                if (i + 1 >= quoted.length() - 1) {
                    throw invalid();
                }
                char escaped = quoted.charAt(++i);
                if (escaped != '"' && escaped != '\\') {
                    throw invalid();
                }
                value.append(escaped);
            } else if (c == '"') {
                throw invalid();
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    private static boolean printable(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    private static ProblemException invalid() {
        return ProblemException.badRequest("idempotency-key-invalid",
                "The Idempotency-Key must be " + MIN_LENGTH + " to " + MAX_LENGTH
                        + " printable ASCII characters, optionally as a quoted string; a UUID is recommended");
    }
}
