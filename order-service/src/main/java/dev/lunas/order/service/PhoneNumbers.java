package dev.lunas.order.service;

import java.util.Optional;
import java.util.regex.Pattern;

/** Indonesian mobile numbers, as customers type them, to E.164 ({@code +628…}) for WhatsApp and Midtrans. */
public final class PhoneNumbers {

    // Separators people type; anything else (letters, other punctuation) makes the number invalid.
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-.()]");
    // Mobile numbers start with 8 after the country code; 9 to 12 digits follow it in total. Landlines
    // (e.g. 021…) cannot receive WhatsApp messages, so they are refused.
    private static final Pattern MOBILE_SUBSCRIBER = Pattern.compile("8[1-9][0-9]{7,10}");

    private PhoneNumbers() {
    }

    /** Accepts 08…, 628…, +628… and the common slip +62 08…; empty when it is no Indonesian mobile number. */
    public static Optional<String> toE164(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String number = SEPARATORS.matcher(typed).replaceAll("");
        String subscriber;
        if (number.startsWith("+62")) {
            subscriber = stripTrunkPrefix(number.substring(3));
        } else if (number.startsWith("62")) {
            subscriber = number.substring(2);
        } else if (number.startsWith("0")) {
            subscriber = number.substring(1);
        } else {
            return Optional.empty();
        }
        return MOBILE_SUBSCRIBER.matcher(subscriber).matches() ? Optional.of("+62" + subscriber) : Optional.empty();
    }

    private static String stripTrunkPrefix(String subscriber) {
        return subscriber.startsWith("0") ? subscriber.substring(1) : subscriber;
    }
}
