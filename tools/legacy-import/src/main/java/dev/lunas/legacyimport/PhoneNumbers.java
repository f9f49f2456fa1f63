package dev.lunas.legacyimport;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Indonesian mobile numbers to E.164 ({@code +628…}), by the rule order-service's checkout applies
 * ({@code dev.lunas.order.service.PhoneNumbers}): the tool links no service code, so the rule is written here again
 * and {@code RulesInStepTest} runs both on the same numbers, failing the build the day they differ.
 */
final class PhoneNumbers {

    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-.()]");
    // 8, then a digit 1-9, then 7 to 10 digits: mobile numbers only (a landline cannot receive WhatsApp messages)
    private static final Pattern MOBILE_SUBSCRIBER = Pattern.compile("8[1-9][0-9]{7,10}");

    private PhoneNumbers() {
    }

    /** Accepts 08…, 628…, +628… and +62 08…, with spaces, dashes, dots and brackets; empty for anything else. */
    static Optional<String> toE164(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String number = SEPARATORS.matcher(typed).replaceAll("");
        String subscriber;
        if (number.startsWith("+62")) {
            subscriber = number.substring(3);
            subscriber = subscriber.startsWith("0") ? subscriber.substring(1) : subscriber;
        } else if (number.startsWith("62")) {
            subscriber = number.substring(2);
        } else if (number.startsWith("0")) {
            subscriber = number.substring(1);
        } else {
            return Optional.empty();
        }
        return MOBILE_SUBSCRIBER.matcher(subscriber).matches() ? Optional.of("+62" + subscriber) : Optional.empty();
    }
}
