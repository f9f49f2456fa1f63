package dev.lunas.legacyimport;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Email addresses as the import accepts them: trimmed and lower-cased as order-service's checkout stores them, and
 * never looser than the checkout's constraints (at most 254 characters, {@code @Email} with the pattern
 * {@code [^@\s]+@[^@\s]+\.[^@\s]+}): a plain ASCII local part of at most 64 characters and a domain of ASCII labels.
 * Internationalised domains and quoted local parts, which the checkout would take, are refused and reported;
 * {@code RulesInStepTest} checks that everything accepted here passes the checkout's constraints.
 */
final class EmailAddresses {

    static final int MAX_LENGTH = 254;
    private static final Pattern CHECKOUT = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern LOCAL_PART = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    private EmailAddresses() {
    }

    /** The address in the form order-service stores (trimmed, lower case); empty when it is refused. */
    static Optional<String> canonical(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String email = typed.trim().toLowerCase(Locale.ROOT);
        if (email.length() > MAX_LENGTH || !CHECKOUT.matcher(email).matches()) {
            return Optional.empty();
        }
        int at = email.lastIndexOf('@');
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        return local.length() <= 64 && LOCAL_PART.matcher(local).matches() && DOMAIN.matcher(domain).matches()
                ? Optional.of(email)
                : Optional.empty();
    }
}
