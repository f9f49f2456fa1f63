package dev.lunas.launcher.midtrans;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated Snap "create transaction" request (docs/midtrans.md §e). Messages that docs/midtrans.md quotes from
 * Midtrans are reproduced exactly; the others (non-integer amounts, bad expiry) are worded in the same style
 * because their official text is not documented.
 */
record SnapOrder(String orderId, long grossAmount, List<Item> items, Customer customer, String finishUrl,
                 Duration pageLifetime, Expiry expiry) {

    record Item(String id, String name, long price, long quantity) {
    }

    record Customer(String firstName, String lastName, String email, String phone) {
        String fullName() {
            return String.join(" ", nonBlank(firstName), nonBlank(lastName)).trim();
        }

        private static String nonBlank(String text) {
            return text == null ? "" : text;
        }
    }

    /** {@code expiry}: with a start time the clock runs from it, without one from the customer's choice. */
    record Expiry(Instant start, Duration duration) {
    }

    /** Either an order, or the {@code error_messages} Midtrans answers a 400 with. */
    record Parsed(SnapOrder order, List<String> errors) {
    }

    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9\\-_~.]+");
    private static final int MAX_ORDER_ID = 50;
    private static final DateTimeFormatter START_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z", Locale.ROOT);

    static Parsed parse(JsonNode body) {
        List<String> errors = new ArrayList<>();
        JsonNode details = body.path("transaction_details");

        String orderId = orderId(details.path("order_id"), errors);
        Long gross = integer(details.path("gross_amount"), "transaction_details.gross_amount", errors);
        if (gross != null && gross < 1) {
            errors.add("transaction_details.gross_amount must be greater than 0");
        }
        List<Item> items = items(body.path("item_details"), errors);
        if (errors.isEmpty() && items != null && !sumsTo(items, gross)) {
            errors.add("transaction_details.gross_amount is not equal to the sum of item_details");
        }
        Expiry expiry = expiry(body.path("expiry"), errors);
        Duration pageLifetime = body.has("page_expiry")
                ? lifetime(body.path("page_expiry"), "page_expiry", errors)
                : null;
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        JsonNode customer = body.path("customer_details");
        return new Parsed(new SnapOrder(orderId, gross, items == null ? List.of() : items,
                new Customer(text(customer, "first_name"), text(customer, "last_name"), text(customer, "email"),
                        text(customer, "phone")),
                text(body.path("callbacks"), "finish"), pageLifetime, expiry), List.of());
    }

    private static boolean sumsTo(List<Item> items, long gross) {
        try {
            long sum = 0;
            for (Item item : items) {
                sum = Math.addExact(sum, Math.multiplyExact(item.price(), item.quantity()));
            }
            return sum == gross;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static String orderId(JsonNode node, List<String> errors) {
        if (node.isMissingNode() || node.isNull() || !node.isValueNode() || node.asText().isBlank()) {
            errors.add("transaction_details.order_id is required");
            return null;
        }
        String orderId = node.asText();
        if (orderId.length() > MAX_ORDER_ID) {
            errors.add("transaction_details.order_id must not be longer than " + MAX_ORDER_ID + " characters");
        } else if (!ORDER_ID.matcher(orderId).matches()) {
            errors.add("transaction_details.order_id may only contain letters, digits and - _ ~ .");
        }
        return orderId;
    }

    /** A whole number given as a JSON number or a numeric string; "99000.00" counts, 99000.5 does not. */
    private static Long integer(JsonNode node, String field, List<String> errors) {
        if (node.isMissingNode() || node.isNull()) {
            errors.add(field + " is required");
            return null;
        }
        BigDecimal value;
        if (node.isNumber()) {
            value = node.decimalValue();
        } else if (node.isTextual()) {
            try {
                value = new BigDecimal(node.asText().trim());
            } catch (NumberFormatException e) {
                errors.add(field + " is not a number");
                return null;
            }
        } else {
            errors.add(field + " is not a number");
            return null;
        }
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            errors.add(field + " must be an integer");
            return null;
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            errors.add(field + " is too large");
            return null;
        }
    }

    private static List<Item> items(JsonNode node, List<String> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            errors.add("item_details must be an array");
            return null;
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String field = "item_details[" + i + "]";
            Long price = integer(item.path("price"), field + ".price", errors);
            Long quantity = integer(item.path("quantity"), field + ".quantity", errors);
            if (quantity != null && quantity < 1) {
                errors.add(field + ".quantity must be greater than 0");
            }
            String name = text(item, "name");
            if (name == null || name.isBlank()) {
                errors.add(field + ".name is required");
            }
            if (price != null && quantity != null) {
                items.add(new Item(text(item, "id"), name, price, quantity));
            }
        }
        return items;
    }

    private static Expiry expiry(JsonNode node, List<String> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        Duration duration = lifetime(node, "expiry", errors);
        Instant start = null;
        String startTime = text(node, "start_time");
        if (startTime != null) {
            try {
                start = OffsetDateTime.parse(startTime, START_TIME).toInstant();
            } catch (DateTimeParseException e) {
                errors.add("expiry.start_time must look like 2026-11-21 10:00:00 +0700");
            }
        }
        return duration == null ? null : new Expiry(start, duration);
    }

    private static Duration lifetime(JsonNode node, String field, List<String> errors) {
        Long duration = integer(node.path("duration"), field + ".duration", errors);
        if (duration != null && duration < 1) {
            errors.add(field + ".duration must be greater than 0");
            return null;
        }
        String unit = text(node, "unit");
        if (unit == null) {
            errors.add(field + ".unit is required");
            return null;
        }
        Duration perUnit = switch (unit.toLowerCase(Locale.ROOT)) {
            case "minute", "minutes" -> Duration.ofMinutes(1);
            case "hour", "hours" -> Duration.ofHours(1);
            case "day", "days" -> Duration.ofDays(1);
            default -> null;
        };
        if (perUnit == null) {
            errors.add(field + ".unit must be one of minute, hour, day");
            return null;
        }
        return duration == null ? null : perUnit.multipliedBy(duration);
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
