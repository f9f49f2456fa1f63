package dev.lunas.payment.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;

/**
 * An amount in whole rupiah: a JSON integer literal of at most {@value #MAX_DIGITS} digits. Fractions
 * (which Jackson would otherwise truncate), exponents and strings are refused before any conversion.
 */
public final class WholeRupiah extends JsonDeserializer<Long> {

    static final int MAX_DIGITS = 15;

    @Override
    public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getTextLength() > MAX_DIGITS + 1) {
            throw MismatchedInputException.from(parser, Long.class, "must be a whole rupiah amount of at most "
                    + MAX_DIGITS + " digits");
        }
        return parser.getLongValue();
    }
}
