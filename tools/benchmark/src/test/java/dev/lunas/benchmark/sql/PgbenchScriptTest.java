package dev.lunas.benchmark.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PgbenchScriptTest {

    private static final String ORDER = "01a2006e-399e-7706-b532-c0822d03f030";
    private static final String EVENT = "01a2006e-43d0-7490-b7ec-7c7ea7380657";
    private static final String TRANSACTION = "5dab4614-108e-403a-b3a2-e97e07f90fe0";

    private static final String LOCK = "select a.order_id, a.status from payments.payment_attempt a where a.order_id=$1";
    private static final String INBOX = "insert into payments.payment_event (idempotency_key, order_id, payload) values ($1, $2, $3)"
            + " on conflict (idempotency_key) do nothing returning id";
    private static final String SETTLE = "update payments.payment_attempt set status = $1, settled_at = now() where order_id = $2";
    private static final String AUDIT = "insert into payments.payment_audit (order_id, payment_event_id, reason) values ($1, $2, $3)";
    private static final String OUTBOX = "insert into payments.outbox (event_id, aggregate_id, payload) values ($1, $2, cast(cast($3 as text) as jsonb))";

    private static final Map<String, List<String>> TYPES = Map.of(
            LOCK, List.of("uuid"),
            INBOX, List.of("text", "text", "text"),
            SETTLE, List.of("text", "uuid"),
            AUDIT, List.of("uuid", "bigint", "text"),
            OUTBOX, List.of("uuid", "text", "text"));

    private final List<LoggedStatement> statements = new ArrayList<>();

    private void simple(String sql) {
        statements.add(LoggedStatement.of(new LogEntry(statements.size(), "payment-service", 7, "3/9", 812, "statement: " + sql, null, 0))
                .orElseThrow());
    }

    private void execute(String name, String sql, String... values) {
        StringBuilder detail = new StringBuilder("Parameters: ");
        for (int i = 0; i < values.length; i++) {
            detail.append(i == 0 ? "" : ", ").append('$').append(i + 1).append(" = ")
                    .append(values[i] == null ? "NULL" : "'" + values[i].replace("'", "''") + "'");
        }
        statements.add(LoggedStatement.of(new LogEntry(statements.size(), "payment-service", 7, "3/9", 812,
                "execute " + name + ": " + sql, detail.toString(), 0)).orElseThrow());
    }

    private List<CapturedTransaction> settlement() {
        simple("BEGIN");
        execute("S_1", LOCK, ORDER);
        execute("S_2", INBOX, ORDER + "|" + TRANSACTION + "|settlement", ORDER, "{\"order_id\":\"" + ORDER + "\",\"note\":\"it's\"}");
        execute("S_3", SETTLE, "SETTLED", ORDER);
        execute("S_4", AUDIT, ORDER, "2", null);
        execute("S_5", OUTBOX, EVENT, ORDER, "{\"orderId\":\"" + ORDER + "\"}");
        simple("COMMIT");
        return List.of(new CapturedTransaction("payment-service", 812, statements));
    }

    private PgbenchScript.Script build(Set<String> existing) {
        PgbenchScript.InsertedBy inbox = (table, column, value, txid) ->
                table.equals("payments.payment_event") && column.equals("id") && value.equals("2") && txid == 812;
        return new PgbenchScript(sql -> TYPES.get(sql), inbox).build("webhook", settlement(), existing);
    }

    @Test
    void replaysTheCapturedStatementsInOrderWithTheirValuesAsVariables() {
        PgbenchScript.Script script = build(Set.of());

        assertThat(script.prepared()).isTrue();
        assertThat(script.transactions()).isEqualTo(1);
        assertThat(script.statements()).isEqualTo(5);
        assertThat(script.tables()).containsExactlyInAnyOrder("payments.payment_attempt", "payments.payment_event",
                "payments.payment_audit", "payments.outbox");
        String text = script.text();
        assertThat(text).contains("\\set n :n + 1\n", "\\set base (:run * 1024 + :client_id + 1) * 1099511627776 + :n * 64\n");
        assertThat(text.indexOf("BEGIN;")).isLessThan(text.indexOf("payment_attempt a where")).isLessThan(text.indexOf("COMMIT;"));
        assertThat(script.variables()).containsEntry("n", "0").containsValue("SETTLED");
        String settled = script.variables().entrySet().stream().filter(e -> e.getValue().equals("SETTLED")).findFirst().orElseThrow().getKey();
        assertThat(text).contains("update payments.payment_attempt set status = :" + settled + ", settled_at = now() where order_id = "
                + PgbenchScript.uuidExpression("u1") + ";");
    }

    @Test
    void everyUuidBecomesAFreshOneAndStaysTheSameWhereverItAppears() {
        PgbenchScript.Script script = build(Set.of());
        String text = script.text();

        assertThat(text).contains("\\set u1 :base + 1\n", "\\set u2 :base + 2\n", "\\set u3 :base + 3\n");
        assertThat(text).contains("where a.order_id=" + PgbenchScript.uuidExpression("u1") + ";");
        assertThat(text).as("a UUID in a text column").contains("CAST(" + PgbenchScript.uuidExpression("u1") + " AS text)");
        assertThat(text).as("the event id, a second UUID").contains("values (" + PgbenchScript.uuidExpression("u3"));
        String key = variable(script, ORDER + "|" + TRANSACTION + "|settlement");
        assertThat(text).as("UUIDs inside a unique key are replaced one by one")
                .contains("CAST(replace(replace(:" + key + ", '" + ORDER + "', CAST(" + PgbenchScript.uuidExpression("u1")
                        + " AS text)), '" + TRANSACTION + "', CAST(" + PgbenchScript.uuidExpression("u2") + " AS text)) AS text)");
        assertThat(script.variables().get(variable(script, "{\"order_id\":\"" + ORDER + "\",\"note\":\"it's\"}"))).contains("it's");
    }

    @Test
    void anIdReturnedByAnInsertIsCarriedToTheStatementThatPassesItOn() {
        String text = build(Set.of()).text();

        assertThat(text).contains("returning id \\gset r1_\n");
        assertThat(text).contains("values (" + PgbenchScript.uuidExpression("u1") + ", :r1_id, CAST(NULL AS text));");
    }

    @Test
    void aRowThatExistedBeforeTheRequestWalksThroughSeededCopies() {
        PgbenchScript.Script script = build(Set.of(ORDER));

        assertThat(script.existing()).containsEntry(ORDER, 1);
        assertThat(script.text()).contains("\\set e1 :base + 63\n").contains("where a.order_id=" + PgbenchScript.uuidExpression("e1") + ";");
        assertThat(script.text()).as("new ids still count up from 1").contains("\\set u1 :base + 1\n");
    }

    @Test
    void theNumbersBehindTheIdsNeverMeetAcrossRunsClientsAndTransactions() {
        long first = PgbenchScript.existingRow(1, 0, 1, 1);
        long[] run1 = PgbenchScript.runRange(1);
        long[] run2 = PgbenchScript.runRange(2);

        assertThat(first).isEqualTo(PgbenchScript.base(1, 0, 1) + 63);
        assertThat(first).isBetween(run1[0], run1[1] - 1);
        assertThat(PgbenchScript.existingRow(1, 1023, 1_000_000, 1)).isLessThan(run1[1]);
        assertThat(run1[1]).isEqualTo(run2[0]);
        assertThat(PgbenchScript.base(1, 3, 5) + 1).isNotEqualTo(PgbenchScript.base(1, 3, 6) + 1);
        assertThat(PgbenchScript.uuidOf(0x1234)).isEqualTo("00000000-0000-0000-0000-000000001234");
        assertThat(PgbenchScript.uuidOf(first)).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void oneOffStatementsAreReplayedAsOneOffs() {
        simple("BEGIN");
        execute("<unnamed>", SETTLE, "SETTLED", ORDER);
        simple("COMMIT");

        PgbenchScript.Script script = new PgbenchScript(TYPES::get, (t, c, v, x) -> false)
                .build("one-off", List.of(new CapturedTransaction("payment-service", 1, statements)), Set.of());

        assertThat(script.prepared()).isFalse();
    }

    @Test
    void textThatPgbenchWouldMistakeForAVariableIsRefused() {
        String sql = "select 1 from payments.outbox where payload->>'t' = '10:mm' and event_id = $1";
        simple("BEGIN");
        execute("S_1", sql, EVENT);
        simple("COMMIT");
        PgbenchScript builder = new PgbenchScript(s -> List.of("uuid"), (t, c, v, x) -> false);

        assertThatThrownBy(() -> builder.build("colon", List.of(new CapturedTransaction("payment-service", 1, statements)), Set.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pgbench would take for a variable");
    }

    @Test
    void valuesAndParametersMustAgree() {
        simple("BEGIN");
        execute("S_1", SETTLE, "SETTLED");
        simple("COMMIT");
        PgbenchScript builder = new PgbenchScript(TYPES::get, (t, c, v, x) -> false);

        assertThatThrownBy(() -> builder.build("short", List.of(new CapturedTransaction("payment-service", 1, statements)), Set.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 values but 2 parameters");
    }

    private static String variable(PgbenchScript.Script script, String value) {
        return script.variables().entrySet().stream().filter(e -> e.getValue().equals(value)).findFirst().orElseThrow().getKey();
    }
}
