package dev.lunas.order.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the problem type of a payment-service error answer ({@code application/problem+json},
 * {@code "type": "https://lunas.dev/problems/<slug>"}). At most {@link #MAX_BODY_BYTES} of the body are
 * read and only the top-level {@code type} is looked at, so a huge or hostile answer costs nothing.
 */
final class ProblemTypes {

    static final String PAYMENT_IN_PROGRESS = "payment-in-progress";
    static final String PAYMENT_CLOSED = "payment-closed";
    static final String PAYMENT_CONFLICT = "payment-conflict";
    static final String PAYMENT_REJECTED = "payment-rejected";

    static final int MAX_BODY_BYTES = 4096;
    private static final int MAX_SLUG_LENGTH = 64;
    private static final JsonFactory JSON = new JsonFactory();

    private ProblemTypes() {
    }

    /** The slug of the body's problem type, or null when there is none to read. */
    static String slug(InputStream body) {
        if (body == null) {
            return null;
        }
        try (body) {
            byte[] head = body.readNBytes(MAX_BODY_BYTES);
            return slugOf(typeOf(head));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String typeOf(byte[] json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(field)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        }
    }

    private static String slugOf(String type) {
        if (type == null) {
            return null;
        }
        String slug = type.substring(type.lastIndexOf('/') + 1);
        return slug.isEmpty() || slug.length() > MAX_SLUG_LENGTH ? null : slug;
    }
}
