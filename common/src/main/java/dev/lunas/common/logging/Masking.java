package dev.lunas.common.logging;

/** Renders contact data recognisable to support staff but useless to anyone reading leaked logs. */
public final class Masking {

    private Masking() {
    }

    /** {@code budi.santoso@example.com} becomes {@code b***@example.com}. */
    public static String email(String email) {
        if (email == null || email.isBlank()) {
            return "";
        }
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }

    /** {@code +6281234567890} becomes {@code +62***7890}. */
    public static String phone(String phone) {
        if (phone == null || phone.isBlank()) {
            return "";
        }
        String digits = phone.replaceAll("[^0-9+]", "");
        if (digits.length() <= 7) {
            return "***";
        }
        return digits.substring(0, 3) + "***" + digits.substring(digits.length() - 4);
    }
}
