package dev.lunas.benchmark.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A statement a session ran, as {@code log_statement = all} reports it: a simple-protocol statement
 * ({@code statement: BEGIN}) or an extended-protocol execution ({@code execute <name>: <sql>}) with its bound
 * parameters from the record's detail ({@code Parameters: $1 = '…', $2 = NULL}).
 *
 * @param preparedName the prepared statement's name for an execution ({@code <unnamed>} for a one-off), else null
 * @param parameters   the bound values in order, {@code null} for SQL NULL
 */
public record LoggedStatement(LogEntry entry, String sql, String preparedName, List<String> parameters) {

    private static final String SIMPLE = "statement: ";
    private static final String EXECUTE = "execute ";
    private static final String PARAMETERS = "Parameters: ";

    /** The statement a log record reports, if it reports one. */
    public static Optional<LoggedStatement> of(LogEntry entry) {
        String message = entry.message();
        if (message.startsWith(SIMPLE)) {
            return Optional.of(new LoggedStatement(entry, message.substring(SIMPLE.length()), null, List.of()));
        }
        if (message.startsWith(EXECUTE)) {
            int colon = message.indexOf(": ", EXECUTE.length());
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new LoggedStatement(entry, message.substring(colon + 2),
                    message.substring(EXECUTE.length(), colon), parameters(entry.detail())));
        }
        return Optional.empty();
    }

    public boolean isTransactionStart() {
        return preparedName == null && sql.strip().equalsIgnoreCase("BEGIN");
    }

    public boolean isTransactionEnd() {
        return preparedName == null && sql.strip().equalsIgnoreCase("COMMIT");
    }

    /** Whether the statement's text or one of its values contains {@code text}. */
    public boolean mentions(String text) {
        return sql.contains(text) || parameters.stream().anyMatch(value -> value != null && value.contains(text));
    }

    /** The values of a {@code Parameters: $1 = 'a''b', $2 = NULL} detail; empty without one. */
    static List<String> parameters(String detail) {
        if (detail == null || !detail.startsWith(PARAMETERS)) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        String text = detail.substring(PARAMETERS.length());
        int i = 0;
        while (i < text.length()) {
            int equals = text.indexOf(" = ", i);
            if (equals < 0 || text.charAt(i) != '$' || !text.substring(i + 1, equals).equals(String.valueOf(values.size() + 1))) {
                throw new IllegalArgumentException("Unexpected parameter list at " + i + ": " + detail);
            }
            i = equals + 3;
            if (text.startsWith("NULL", i)) {
                values.add(null);
                i += 4;
            } else if (text.charAt(i) == '\'') {
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new IllegalArgumentException("Unterminated parameter value: " + detail);
                    }
                    char c = text.charAt(i);
                    if (c == '\'') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                            value.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.append(c);
                    i++;
                }
                values.add(value.toString());
            } else {
                throw new IllegalArgumentException("Unexpected parameter value at " + i + ": " + detail);
            }
            if (text.startsWith(", ", i)) {
                i += 2;
            } else if (i < text.length()) {
                throw new IllegalArgumentException("Unexpected text after a parameter at " + i + ": " + detail);
            }
        }
        return Collections.unmodifiableList(values);
    }
}
