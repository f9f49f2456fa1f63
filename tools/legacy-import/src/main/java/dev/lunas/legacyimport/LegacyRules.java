package dev.lunas.legacyimport;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks one old row and puts it into the form Lunas stores, or says every reason it cannot be imported. Nothing is
 * guessed: a value that is not plainly what the column means is refused, and no reason quotes an email address or a
 * phone number (the report and its logs may be read by anyone).
 */
final class LegacyRules {

    /** A course shop's order above this is a typo or worse. */
    static final long MAX_AMOUNT = 100_000_000L;
    /** Before this, the old shop did not exist; the years around it catch dates typed or stored wrongly. */
    static final Instant EARLIEST = Instant.parse("2015-01-01T00:00:00Z");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final Pattern NAME = Pattern.compile("[^\\s\\p{Cntrl}][^\\p{Cntrl}]{0,98}[^\\s\\p{Cntrl}]");
    private static final Pattern PRINTABLE_WORD = Pattern.compile("[A-Za-z0-9 _-]{1,32}");
    /** SQLite's own text form ({@code datetime('now')}, {@code CURRENT_TIMESTAMP}) and ISO-8601 with a 'T'. */
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendPattern("[ ]['T']HH:mm[:ss]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    /** A row that can be imported, in Lunas's form. */
    record Valid(long legacyId, String name, String email, String phone, long amount, LegacyStatus status,
                 String legacyStatus, Instant createdAt, String sha256) {
    }

    private final ZoneId zone;
    private final Instant latest;

    /**
     * @param zone   the zone of created_at values written without one (SQLite writes UTC)
     * @param latest the latest plausible created_at (now, with room for clock skew)
     */
    LegacyRules(ZoneId zone, Instant latest) {
        this.zone = zone;
        this.latest = latest;
    }

    /** The row in Lunas's form, or the reasons it is refused (never empty then). */
    Checked check(LegacyRow row) {
        List<String> reasons = new ArrayList<>();
        Long id = wholeNumber(row.id());
        if (id == null) {
            reasons.add(row.id() == null ? "id: missing" : "id: not a whole number");
        }
        String name = text(row.customerName()).map(String::strip).orElse(null);
        if (name == null || name.isEmpty()) {
            reasons.add("customerName: missing");
            name = null;
        } else if (!NAME.matcher(name).matches()) {
            reasons.add("customerName: must be 2 to 100 characters without control characters");
            name = null;
        }
        String email = null;
        Optional<String> typedEmail = text(row.email());
        if (row.email() == null || typedEmail.isPresent() && typedEmail.get().isBlank()) {
            reasons.add("email: missing");
        } else {
            email = typedEmail.flatMap(EmailAddresses::canonical).orElse(null);
            if (email == null) {
                reasons.add("email: not a valid address");
            }
        }
        String phone = null;
        Optional<String> typedPhone = row.phone() instanceof Long || row.phone() instanceof Integer
                ? Optional.of(row.phone().toString())
                : text(row.phone());
        if (row.phone() == null || typedPhone.isPresent() && typedPhone.get().isBlank()) {
            reasons.add("phone: missing");
        } else {
            phone = typedPhone.flatMap(PhoneNumbers::toE164).orElse(null);
            if (phone == null) {
                reasons.add("phone: not an Indonesian mobile number");
            }
        }
        Long amount = amount(row.amount(), reasons);
        String legacyStatus = text(row.status()).orElse(null);
        LegacyStatus status = LegacyStatus.of(legacyStatus).orElse(null);
        if (status == null) {
            reasons.add(row.status() == null || legacyStatus != null && legacyStatus.isBlank() ? "status: missing"
                    : legacyStatus == null ? "status: unknown value"
                    : PRINTABLE_WORD.matcher(legacyStatus.strip()).matches()
                    ? "status: unknown '" + legacyStatus.strip() + "'"
                    : "status: unknown value");
        }
        Instant createdAt = createdAt(row.createdAt(), reasons);
        if (!reasons.isEmpty()) {
            return new Checked.Refused(label(row, id), List.copyOf(reasons));
        }
        return new Checked.Accepted(new Valid(id, name, email, phone, amount, status, legacyStatus.strip(), createdAt,
                row.sha256()));
    }

    /** How the report names a row: its id, or its place in the file when the id is unusable. */
    static String label(LegacyRow row, Long id) {
        return id != null ? String.valueOf(id) : "row:" + row.rowNumber();
    }

    static String label(LegacyRow row) {
        return label(row, wholeNumber(row.id()));
    }

    /** The result of {@link #check}. */
    sealed interface Checked {
        record Accepted(Valid row) implements Checked {
        }

        record Refused(String label, List<String> reasons) implements Checked {
        }
    }

    private static Long amount(Object value, List<String> reasons) {
        if (value == null || value instanceof String text && text.isBlank()) {
            reasons.add("amount: missing");
            return null;
        }
        BigDecimal rupiah;
        if (value instanceof Integer || value instanceof Long) {
            rupiah = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof Double number && Double.isFinite(number)) {
            rupiah = new BigDecimal(number);
        } else if (value instanceof String text && text.strip().matches("-?[0-9]{1,18}")) {
            rupiah = new BigDecimal(text.strip());
        } else {
            reasons.add("amount: not a number of rupiah");
            return null;
        }
        if (rupiah.stripTrailingZeros().scale() > 0) {
            reasons.add("amount: not a whole number of rupiah");
            return null;
        }
        if (rupiah.signum() <= 0) {
            reasons.add("amount: must be at least 1 rupiah");
            return null;
        }
        if (rupiah.compareTo(BigDecimal.valueOf(MAX_AMOUNT)) > 0) {
            reasons.add("amount: above " + MAX_AMOUNT + " rupiah, not a plausible order");
            return null;
        }
        return rupiah.longValueExact();
    }

    private Instant createdAt(Object value, List<String> reasons) {
        Instant instant = null;
        if (value instanceof Integer || value instanceof Long) {
            // unix time in seconds, as SQLite's strftime('%s') gives it (milliseconds land far in the future)
            long seconds = ((Number) value).longValue();
            if (seconds > 0 && seconds < 253_402_300_800L) {
                instant = Instant.ofEpochSecond(seconds);
            }
        } else if (value instanceof String text && !text.isBlank()) {
            instant = parse(text.strip());
        } else if (value == null || value instanceof String) {
            reasons.add("created_at: missing");
            return null;
        }
        if (instant == null) {
            reasons.add("created_at: not a date and time");
            return null;
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(latest)) {
            reasons.add("created_at: outside " + EARLIEST + " … now");
            return null;
        }
        return instant;
    }

    private Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(text, LOCAL).atZone(zone).toInstant();
            } catch (DateTimeException notLocal) {
                return null;
            }
        }
    }

    private static Long wholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            long number = ((Number) value).longValue();
            return number >= 0 ? number : null;
        }
        if (value instanceof String text && DIGITS.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        return null;
    }

    private static Optional<String> text(Object value) {
        return value instanceof String text ? Optional.of(text) : Optional.empty();
    }
}
