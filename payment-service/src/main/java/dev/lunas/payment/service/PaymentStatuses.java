package dev.lunas.payment.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** order-service's expiry job asks where the payments of some orders stand (docs/integration.md). */
public final class PaymentStatuses {

    /** At most this many order ids per question. */
    public static final int MAX_ORDERS = 100;

    private PaymentStatuses() {
    }

    /** The question: 1 to {@value #MAX_ORDERS} order ids. */
    public record Query(@NotNull @Size(min = 1, max = MAX_ORDERS) @JsonDeserialize(using = OrderIds.class) List<UUID> orderIds) {
    }

    /** The answer: only orders that have an attempt are listed. */
    public record Answer(List<Entry> payments) {
    }

    public record Entry(UUID orderId, String status) {
    }

    /**
     * Reads the id array and stops at the first element past {@value #MAX_ORDERS}: a huge array costs no
     * more than the limit (the validation then refuses an over-long list, here refused while reading).
     */
    public static final class OrderIds extends JsonDeserializer<List<UUID>> {

        @Override
        public List<UUID> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw MismatchedInputException.from(parser, List.class, "orderIds must be an array of order ids");
            }
            List<UUID> ids = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (ids.size() == MAX_ORDERS) {
                    throw MismatchedInputException.from(parser, List.class, "orderIds may list at most " + MAX_ORDERS + " ids");
                }
                if (parser.currentToken() != JsonToken.VALUE_STRING || parser.getTextLength() != 36) {
                    throw MismatchedInputException.from(parser, UUID.class, "orderIds must hold order ids (UUIDs)");
                }
                try {
                    ids.add(UUID.fromString(parser.getText()));
                } catch (IllegalArgumentException e) {
                    throw MismatchedInputException.from(parser, UUID.class, "orderIds must hold order ids (UUIDs)");
                }
            }
            return ids;
        }
    }
}
