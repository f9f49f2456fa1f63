package dev.lunas.payment.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lunas.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the raw body of a Midtrans notification or Get Status answer into a {@link Notification}, or
 * refuses it: 400 when it is not JSON or lacks a field, 401 when the signature is missing or wrong,
 * 400 when a success status comes without status_code 200 (the status itself is not signed, so an
 * altered "pending" must not read as a payment). Unknown fields are ignored: Midtrans adds new ones
 * without notice.
 */
@ApplicationScoped
public class NotificationVerifier {

    /** Problem type slug of a missing or wrong signature. */
    public static final String INVALID_SIGNATURE = "invalid-signature";

    // Duplicate keys are refused (two parsers could read different statuses); decimals keep their scale
    // so a numeric gross_amount still yields the exact text that was signed.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();

    private final MidtransSignature signature;

    public NotificationVerifier(MidtransSignature signature) {
        this.signature = signature;
    }

    public Notification verify(byte[] body) {
        JsonNode json = parse(body);
        String orderId = text(json, "order_id");
        String statusCode = text(json, "status_code");
        String grossAmount = text(json, "gross_amount");
        List<String> missing = new ArrayList<>();
        addIfBlank(missing, "order_id", orderId);
        addIfBlank(missing, "status_code", statusCode);
        addIfBlank(missing, "gross_amount", grossAmount);
        if (!missing.isEmpty()) {
            throw ProblemException.badRequest("missing-fields", "The notification lacks " + String.join(", ", missing));
        }
        String signatureKey = text(json, "signature_key");
        if (signatureKey == null || signatureKey.isBlank()) {
            throw ProblemException.unauthorized(INVALID_SIGNATURE, "The notification carries no signature_key");
        }
        if (!signature.matches(orderId, statusCode, grossAmount, signatureKey)) {
            throw ProblemException.unauthorized(INVALID_SIGNATURE, "The signature_key does not match the notification");
        }
        String transactionStatus = lower(text(json, "transaction_status"));
        if (transactionStatus == null || transactionStatus.isBlank()) {
            throw ProblemException.badRequest("missing-fields", "The notification lacks transaction_status");
        }
        String refundAmount = text(json, "refund_amount");
        requireAmount("gross_amount", grossAmount);
        if (refundAmount != null) {
            requireAmount("refund_amount", refundAmount);
        }
        String fraudStatus = lower(text(json, "fraud_status"));
        if (PaymentStateMachine.classify(transactionStatus, fraudStatus) == PaymentStateMachine.Kind.SUCCESS
                && !"200".equals(statusCode.trim())) {
            throw ProblemException.badRequest("inconsistent-status",
                    "A " + transactionStatus + " notification must carry status_code 200");
        }
        return new Notification(orderId, statusCode, grossAmount, transactionStatus, fraudStatus,
                text(json, "transaction_id"), text(json, "payment_type"), text(json, "currency"), refundAmount,
                text(json, "settlement_time"), text(json, "transaction_time"),
                new String(body, StandardCharsets.UTF_8));
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("malformed-body", "The notification body is empty");
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw ProblemException.badRequest("malformed-body", "The notification body is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw ProblemException.badRequest("malformed-body", "The notification body is not a JSON object");
        }
        return json;
    }

    /** A field's text as sent: strings as they are, numbers as written (scale kept), absent or null as null. */
    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return node.isBigDecimal() ? node.decimalValue().toPlainString() : node.asText();
        }
        throw ProblemException.badRequest("malformed-body", "The field '" + field + "' must be a string");
    }

    private static void requireAmount(String field, String value) {
        try {
            BigDecimal amount = new BigDecimal(value.trim());
            if (amount.signum() < 0 || amount.stripTrailingZeros().scale() > 0) {
                throw ProblemException.badRequest("malformed-body", "The field '" + field + "' is not a whole rupiah amount");
            }
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("malformed-body", "The field '" + field + "' is not a number");
        }
    }

    private static void addIfBlank(List<String> missing, String field, String value) {
        if (value == null || value.isBlank()) {
            missing.add(field);
        }
    }

    private static String lower(String value) {
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }
}
