package dev.lunas.benchmark.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the transactions captured for one request into a pgbench script that runs exactly those statements, in
 * that order, once per pgbench transaction: the services' own SQL text, with the values they bound.
 *
 * <p>Values are passed as pgbench variables, so every statement keeps its parameters and its plan, except where a
 * value must differ between runs:
 * <ul>
 *   <li>a UUID (order ids, event ids, tokens…) becomes a number unique per run, client and transaction, written as
 *       a UUID on the server ({@link #uuidExpression}); the same UUID in the probe stays the same value within a
 *       pgbench transaction, including where it is embedded in a longer text (a JSON payload, a key);</li>
 *   <li>a UUID that names a row existing before the request (the attempt a notification settles) instead walks
 *       through rows seeded beforehand with the same numbering ({@link #existingRow});</li>
 *   <li>an id a statement returned ({@code insert … returning id}) and a later statement of the same transaction
 *       passed on is carried over with {@code \gset}.</li>
 * </ul>
 * Everything else (names, amounts, timestamps, JSON bodies) is the probe's value, bound as a parameter.
 */
public final class PgbenchScript {

    /** 2^40: each run and client owns a range of ids this large. */
    public static final long RANGE = 1L << 40;
    /** Ids per pgbench transaction; new UUIDs count up from 1, existing ones down from 63. */
    public static final int SLOTS = 64;
    /** Client ranges per run: more clients than pgbench is ever given here. */
    public static final int CLIENTS_PER_RUN = 1024;

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");
    private static final Pattern RETURNING = Pattern.compile("(?is)^\\s*insert\\s+into\\s+([\\w.\"]+).*\\breturning\\s+(\\w+)\\s*$");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Set<String> INTEGER_TYPES = Set.of("bigint", "integer", "smallint");
    private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:from|into|update|join)\\s+([a-z_][\\w]*\\.[a-z_][\\w]*)");

    /** Whether a row with this id in {@code column} of {@code table} was inserted by transaction {@code txid}. */
    @FunctionalInterface
    public interface InsertedBy {
        boolean test(String table, String column, String value, long txid);
    }

    /**
     * A script ready for pgbench.
     *
     * @param text           the script
     * @param variables      values to pass with {@code -D name=value} (the probe's constants and the counter's start)
     * @param prepared       whether the services used named prepared statements ({@code -M prepared}) or one-off
     *                       ones ({@code -M extended})
     * @param existing       each pre-existing UUID of the probe and the slot its seeded copies use
     * @param tables         the tables the statements name
     * @param transactions   database transactions per pgbench transaction
     * @param statements     statements per pgbench transaction, BEGIN and COMMIT left out
     */
    public record Script(String text, Map<String, String> variables, boolean prepared, Map<String, Integer> existing,
                         Set<String> tables, int transactions, int statements) {
    }

    private final Function<String, List<String>> parameterTypes;
    private final InsertedBy insertedBy;

    /**
     * @param parameterTypes the type PostgreSQL infers for each {@code $n} of a statement (as {@code PREPARE} does
     *                       for the services' driver), e.g. {@code [uuid, text, timestamp with time zone]}
     */
    public PgbenchScript(Function<String, List<String>> parameterTypes, InsertedBy insertedBy) {
        this.parameterTypes = parameterTypes;
        this.insertedBy = insertedBy;
    }

    /**
     * @param existingIds UUIDs of rows that existed before the probed request (lower case); every other UUID is new
     */
    public Script build(String title, List<CapturedTransaction> probe, Set<String> existingIds) {
        if (probe.isEmpty()) {
            throw new IllegalArgumentException("The probe of " + title + " captured no transaction");
        }
        Builder builder = new Builder(existingIds);
        for (CapturedTransaction transaction : probe) {
            builder.transaction(transaction);
        }
        return builder.script(title, probe);
    }

    /** The server-side expression that writes pgbench integer variable {@code variable} as a UUID. */
    public static String uuidExpression(String variable) {
        return "CAST(lpad(to_hex(CAST(:" + variable + " AS bigint)), 32, '0') AS uuid)";
    }

    /** The UUID {@link #uuidExpression} makes of {@code value}. */
    public static String uuidOf(long value) {
        String hex = String.format(Locale.ROOT, "%032x", value);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20)
                + "-" + hex.substring(20);
    }

    /** The number behind pre-existing UUID {@code slot} in transaction {@code counter} (from 1) of a client in a run. */
    public static long existingRow(int run, int client, long counter, int slot) {
        return base(run, client, counter) + SLOTS - slot;
    }

    /** The smallest number of a run's ids, and (exclusive) the largest: every row a run makes or uses lies between. */
    public static long[] runRange(int run) {
        return new long[] {((long) run * CLIENTS_PER_RUN + 1) * RANGE, ((long) (run + 1) * CLIENTS_PER_RUN + 1) * RANGE};
    }

    static long base(int run, int client, long counter) {
        return ((long) run * CLIENTS_PER_RUN + client + 1) * RANGE + counter * SLOTS;
    }

    private final class Builder {
        private final Set<String> existingIds;
        private final Map<String, String> newSlots = new LinkedHashMap<>();
        private final Map<String, Integer> existingSlots = new LinkedHashMap<>();
        private final Map<String, String> constants = new LinkedHashMap<>();
        private final Set<String> tables = new java.util.TreeSet<>();
        private final StringBuilder body = new StringBuilder();
        private boolean named;
        private int statements;
        private int returningCount;

        Builder(Set<String> existingIds) {
            this.existingIds = existingIds;
        }

        void transaction(CapturedTransaction transaction) {
            body.append("-- ").append(transaction.application()).append('\n');
            List<LoggedStatement> list = transaction.statements();
            Map<Integer, String[]> returningAt = new LinkedHashMap<>();
            List<String> rendered = new ArrayList<>();
            List<String> gsets = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                LoggedStatement statement = list.get(i);
                if (statement.preparedName() == null) {
                    rendered.add(statement.sql().strip());
                    gsets.add(null);
                    continue;
                }
                statements++;
                named |= !statement.preparedName().equals("<unnamed>");
                Matcher table = TABLE.matcher(statement.sql());
                while (table.find()) {
                    tables.add(table.group(1).toLowerCase(Locale.ROOT));
                }
                rendered.add(render(statement, transaction.txid(), returningAt, gsets));
                gsets.add(null);
                Matcher returning = RETURNING.matcher(statement.sql());
                if (returning.matches()) {
                    returningAt.put(i, new String[] {returning.group(1), returning.group(2).toLowerCase(Locale.ROOT)});
                }
            }
            for (int i = 0; i < rendered.size(); i++) {
                String sql = rendered.get(i);
                body.append(sql);
                body.append(gsets.get(i) != null ? " \\gset " + gsets.get(i) : ";").append('\n');
            }
        }

        private String render(LoggedStatement statement, long txid, Map<Integer, String[]> returningAt, List<String> gsets) {
            requireNoPgbenchVariables(statement.sql());
            List<String> types = parameterTypes.apply(statement.sql());
            List<String> values = statement.parameters();
            if (types.size() != values.size()) {
                throw new IllegalStateException("The statement has " + values.size() + " values but " + types.size()
                        + " parameters: " + statement.sql());
            }
            Matcher parameter = PARAMETER.matcher(statement.sql());
            StringBuilder out = new StringBuilder();
            while (parameter.find()) {
                int index = Integer.parseInt(parameter.group(1)) - 1;
                String expression = expression(values.get(index), types.get(index), txid, returningAt, gsets);
                parameter.appendReplacement(out, Matcher.quoteReplacement(expression));
            }
            parameter.appendTail(out);
            return out.toString().strip();
        }

        private String expression(String value, String type, long txid, Map<Integer, String[]> returningAt, List<String> gsets) {
            if (value == null) {
                return "CAST(NULL AS " + type + ")";
            }
            if (INTEGER_TYPES.contains(type) && INTEGER.matcher(value).matches()) {
                for (Map.Entry<Integer, String[]> returning : returningAt.entrySet()) {
                    String[] tableAndColumn = returning.getValue();
                    if (insertedBy.test(tableAndColumn[0], tableAndColumn[1], value, txid)) {
                        int source = returning.getKey();
                        if (gsets.get(source) == null) {
                            gsets.set(source, "r" + (++returningCount) + "_");
                        }
                        return ":" + gsets.get(source) + tableAndColumn[1];
                    }
                }
            }
            if (UUID.matcher(value).matches()) {
                String uuid = uuid(value);
                return type.equals("uuid") ? uuid : "CAST(" + uuid + " AS " + type + ")";
            }
            Matcher embedded = UUID.matcher(value);
            String expression = ":" + constant(value);
            boolean replaced = false;
            while (embedded.find()) {
                expression = "replace(" + expression + ", '" + embedded.group() + "', CAST(" + uuid(embedded.group()) + " AS text))";
                replaced = true;
            }
            return replaced ? "CAST(" + expression + " AS " + type + ")" : expression;
        }

        private String uuid(String value) {
            String key = value.toLowerCase(Locale.ROOT);
            if (existingIds.contains(key)) {
                int slot = existingSlots.computeIfAbsent(key, k -> existingSlots.size() + 1);
                return uuidExpression("e" + slot);
            }
            String variable = newSlots.computeIfAbsent(key, k -> "u" + (newSlots.size() + 1));
            return uuidExpression(variable);
        }

        private String constant(String value) {
            for (Map.Entry<String, String> known : constants.entrySet()) {
                if (known.getValue().equals(value)) {
                    return known.getKey();
                }
            }
            String name = "p" + (constants.size() + 1);
            constants.put(name, value);
            return name;
        }

        Script script(String title, List<CapturedTransaction> probe) {
            if (newSlots.size() + existingSlots.size() >= SLOTS) {
                throw new IllegalStateException("The probe of " + title + " holds more UUIDs than a transaction has slots");
            }
            StringBuilder text = new StringBuilder();
            text.append("-- ").append(title).append(": the statements the services ran for one request, captured with\n")
                    .append("-- log_statement = all and bound to pgbench variables (see PgbenchScript).\n");
            text.append("\\set n :n + 1\n");
            text.append("\\set base (:run * ").append(CLIENTS_PER_RUN).append(" + :client_id + 1) * ").append(RANGE)
                    .append(" + :n * ").append(SLOTS).append('\n');
            int slot = 0;
            for (String variable : newSlots.values()) {
                text.append("\\set ").append(variable).append(" :base + ").append(++slot).append('\n');
            }
            for (int existing : existingSlots.values()) {
                text.append("\\set e").append(existing).append(" :base + ").append(SLOTS - existing).append('\n');
            }
            text.append(body);
            Map<String, String> variables = new LinkedHashMap<>();
            variables.put("n", "0");
            variables.putAll(constants);
            return new Script(text.toString(), variables, named, Map.copyOf(existingSlots), Set.copyOf(tables), probe.size(),
                    statements);
        }
    }

    /** pgbench reads {@code :name} anywhere in a command as a variable, even inside a string literal. */
    private static void requireNoPgbenchVariables(String sql) {
        if (Pattern.compile("(?<!:):[A-Za-z_]").matcher(sql.replace("::", "  ")).find()) {
            throw new IllegalStateException("The statement contains ':' before a name, which pgbench would take for a"
                    + " variable: " + sql);
        }
    }
}
