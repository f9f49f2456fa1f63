package dev.lunas.payment.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.lunas.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the raw body of a Midtrans notification or Get Status answer into a {@link MidtransFact}, or
 * refuses it: 400 when it is not JSON, a field has the wrong shape or is missing, 401 when the signature
 * is missing or wrong, 400 inconsistent-status when the status comes with a status_code Midtrans never
 * pairs with it (the status itself is not signed). Unknown fields are skipped unread: Midtrans adds new
 * ones without notice.
 * <p>
 * Invariants: the body is read as a token stream and every field we use is bounded in length and shape
 * <em>before</em> anything converts it, so no input makes work or memory grow beyond the 64 KiB body:
 * strings are checked by length before they are materialised; numbers are accepted only where Midtrans
 * may send one (amounts, status_code) and only as their literal text matching the field's pattern (at
 * most 17 integer digits and two zero decimals for an amount: no sign, no exponent), never expanded;
 * nesting of unknown fields is limited to {@value #MAX_NESTING} levels.
 */
@ApplicationScoped
public class MidtransFactVerifier {

    /** Problem type slug of a missing or wrong signature. */
    public static final String INVALID_SIGNATURE = "invalid-signature";
    static final int MAX_NESTING = 32;
    /** Longer than any field we read may be; a longer number literal is refused by the parser itself. */
    private static final int MAX_NUMBER_LITERAL = 64;

    /** Whole rupiah as Midtrans writes them ("99000.00"); 20 characters at most, no exponent or sign. */
    private static final Pattern AMOUNT = Pattern.compile("[0-9]{1,17}(\\.0{1,2})?");

    /** The fields we read: their longest accepted text, their pattern, and whether a JSON number may carry them. */
    private record Field(int maxLength, Pattern shape, boolean number) {
    }

    private static final Map<String, Field> FIELDS = Map.ofEntries(
            // Midtrans: order_id up to 50 characters, letters, digits, - _ ~ .
            Map.entry("order_id", new Field(50, Pattern.compile("[A-Za-z0-9._~-]+"), false)),
            Map.entry("status_code", new Field(3, Pattern.compile("[0-9]{3}"), true)),
            Map.entry("gross_amount", new Field(20, AMOUNT, true)),
            Map.entry("refund_amount", new Field(20, AMOUNT, true)),
            Map.entry("signature_key", new Field(128, Pattern.compile("[0-9A-Fa-f]{128}"), false)),
            Map.entry("transaction_status", new Field(32, Pattern.compile("[A-Za-z_]+"), false)),
            Map.entry("fraud_status", new Field(32, Pattern.compile("[A-Za-z_]+"), false)),
            Map.entry("transaction_id", new Field(100, Pattern.compile("[\\x21-\\x7E]+"), false)),
            Map.entry("payment_type", new Field(50, Pattern.compile("[A-Za-z0-9_]+"), false)),
            Map.entry("currency", new Field(3, Pattern.compile("[A-Za-z]{3}"), false)),
            Map.entry("settlement_time", new Field(40, Pattern.compile("[\\x20-\\x7E]+"), false)),
            Map.entry("transaction_time", new Field(40, Pattern.compile("[\\x20-\\x7E]+"), false)));

    // Duplicate keys are refused (two parsers could read different statuses).
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxNumberLength(MAX_NUMBER_LITERAL)
                    .build())
            .build();

    private final MidtransSignature signature;

    public MidtransFactVerifier(MidtransSignature signature) {
        this.signature = signature;
    }

    public MidtransFact verify(byte[] body) {
        Map<String, String> json = read(body);
        String orderId = json.get("order_id");
        String statusCode = json.get("status_code");
        String grossAmount = json.get("gross_amount");
        List<String> missing = new ArrayList<>();
        addIfMissing(missing, "order_id", orderId);
        addIfMissing(missing, "status_code", statusCode);
        addIfMissing(missing, "gross_amount", grossAmount);
        if (!missing.isEmpty()) {
            throw ProblemException.badRequest("missing-fields", "The notification lacks " + String.join(", ", missing));
        }
        String signatureKey = json.get("signature_key");
        if (signatureKey == null) {
            throw ProblemException.unauthorized(INVALID_SIGNATURE, "The notification carries no valid signature_key");
        }
        if (!signature.matches(orderId, statusCode, grossAmount, signatureKey)) {
            throw ProblemException.unauthorized(INVALID_SIGNATURE, "The signature_key does not match the notification");
        }
        String transactionStatus = lower(json.get("transaction_status"));
        if (transactionStatus == null) {
            throw ProblemException.badRequest("missing-fields", "The notification lacks transaction_status");
        }
        String refundAmount = json.get("refund_amount");
        if (refundAmount != null && new BigDecimal(refundAmount).compareTo(new BigDecimal(grossAmount)) > 0) {
            // refund_amount is not signed: it may never claim more than the signed amount
            throw ProblemException.badRequest("malformed-body", "The refund_amount exceeds the gross_amount");
        }
        String fraudStatus = lower(json.get("fraud_status"));
        if (!MidtransStatusCodes.consistent(transactionStatus, fraudStatus, statusCode)) {
            throw ProblemException.badRequest("inconsistent-status", "Midtrans does not send " + transactionStatus
                    + (fraudStatus == null ? "" : "/" + fraudStatus) + " with status_code " + statusCode);
        }
        return new MidtransFact(orderId, statusCode, grossAmount, transactionStatus, fraudStatus,
                json.get("transaction_id"), json.get("payment_type"), json.get("currency"), refundAmount,
                json.get("settlement_time"), json.get("transaction_time"), new String(body, StandardCharsets.UTF_8));
    }

    /** The fields we read, each checked against its {@link Field}; empty strings read as absent. */
    private static Map<String, String> read(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("malformed-body", "The notification body is empty");
        }
        Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ProblemException.badRequest("malformed-body", "The notification body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                Field field = FIELDS.get(name);
                if (field == null) {
                    parser.skipChildren();
                } else {
                    String text = value(parser, value, name, field);
                    if (text != null) {
                        fields.put(name, text);
                    }
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw ProblemException.badRequest("malformed-body", "The notification body is not one JSON object");
            }
        } catch (IOException e) {
            throw ProblemException.badRequest("malformed-body", "The notification body is not valid JSON");
        }
        return fields;
    }

    /** The field's text as sent (a number as its literal), or null when absent, null or empty. */
    private static String value(JsonParser parser, JsonToken token, String name, Field field) throws IOException {
        boolean isNumber = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING && !(isNumber && field.number())) {
            throw ProblemException.badRequest("malformed-body", "The field '" + name + "' must be a string");
        }
        // the length is known before the text is built: nothing longer than the field is ever materialised
        int length = parser.getTextLength();
        if (length == 0) {
            return null;
        }
        String text = length <= field.maxLength() ? parser.getText() : null;
        if (text == null || !field.shape().matcher(text).matches()) {
            if (name.equals("signature_key")) {
                throw ProblemException.unauthorized(INVALID_SIGNATURE, "The signature_key is not 128 hexadecimal characters");
            }
            throw ProblemException.badRequest("malformed-body", "The field '" + name + "' is not a valid " + describe(name));
        }
        return text;
    }

    private static String describe(String name) {
        return switch (name) {
            case "gross_amount", "refund_amount" -> "whole rupiah amount (at most 17 digits, no exponent)";
            case "status_code" -> "3-digit status code";
            case "order_id" -> "Midtrans order_id (at most 50 letters, digits, - _ ~ .)";
            default -> "value";
        };
    }

    private static void addIfMissing(List<String> missing, String field, String value) {
        if (value == null) {
            missing.add(field);
        }
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
