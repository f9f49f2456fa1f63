package dev.lunas.benchmark.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLogTest {

    /** Records as PostgreSQL 17 writes them with log_destination = jsonlog and log_statement = all. */
    static final String BEGIN = """
            {"timestamp":"2026-11-21 23:25:55.848 UTC","pid":27930,"session_id":"6b02287c.6d1a","line_num":1,"vxid":"11/3","txid":0,"error_severity":"LOG","message":"statement: BEGIN","application_name":"payment-service","backend_type":"client backend","query_id":0}
            """;
    static final String EXECUTE = """
            {"timestamp":"2026-11-21 23:25:55.848 UTC","pid":27930,"session_id":"6b02287c.6d1a","line_num":3,"vxid":"11/3","txid":763,"error_severity":"LOG","message":"execute 0000001: insert into payments.payment_event\\n       (idempotency_key, order_id, payload)\\nvalues ($1, $2, $3)\\non conflict (idempotency_key) do nothing\\nreturning id","detail":"Parameters: $1 = '01a2006e-399e-7706-b532-c0822d03f030|pending', $2 = NULL, $3 = '{\\"va\\":[{\\"bank\\":\\"bca\\"}],\\"note\\":\\"it''s, = $4\\"}'","application_name":"payment-service","backend_type":"client backend","query_id":5827668750427298456}
            """;

    @TempDir
    Path folder;

    @Test
    void readsOnlyCompleteRecordsWrittenAfterAnOffset() throws IOException {
        Path file = folder.resolve("postgresql.json");
        Files.writeString(file, "{\"message\":\"before the probe\",\"pid\":1}\n");
        ServerLog log = new ServerLog(file);
        long from = log.end();
        Files.writeString(file, BEGIN + EXECUTE + "{\"message\":\"half a li", java.nio.file.StandardOpenOption.APPEND);

        List<LogEntry> entries = log.since(from);

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).position()).isLessThan(entries.get(1).position());
        LogEntry execute = entries.get(1);
        assertThat(execute.application()).isEqualTo("payment-service");
        assertThat(execute.pid()).isEqualTo(27930);
        assertThat(execute.vxid()).isEqualTo("11/3");
        assertThat(execute.txid()).isEqualTo(763);
        assertThat(execute.queryId()).isEqualTo(5827668750427298456L);
        assertThat(new ServerLog(folder.resolve("missing.json")).since(0)).isEmpty();
    }

    @Test
    void anExecutionCarriesItsTextNameAndBoundValues() {
        LoggedStatement statement = LoggedStatement.of(ServerLog.parse(EXECUTE).get(0)).orElseThrow();

        assertThat(statement.preparedName()).isEqualTo("0000001");
        assertThat(statement.sql()).startsWith("insert into payments.payment_event\n").endsWith("returning id");
        assertThat(statement.parameters()).containsExactly("01a2006e-399e-7706-b532-c0822d03f030|pending", null,
                "{\"va\":[{\"bank\":\"bca\"}],\"note\":\"it's, = $4\"}");
        assertThat(statement.mentions("01a2006e-399e-7706-b532-c0822d03f030")).isTrue();
        assertThat(statement.mentions("payment_event")).isTrue();
        assertThat(statement.mentions("customer_order")).isFalse();
        assertThat(statement.isTransactionStart()).isFalse();
    }

    @Test
    void simpleStatementsAndOtherRecords() {
        LoggedStatement begin = LoggedStatement.of(ServerLog.parse(BEGIN).get(0)).orElseThrow();

        assertThat(begin.isTransactionStart()).isTrue();
        assertThat(begin.preparedName()).isNull();
        assertThat(begin.parameters()).isEmpty();
        LogEntry checkpoint = new LogEntry(0, "", 9, "", 0, "checkpoint complete: wrote 3 buffers", null, 0);
        assertThat(LoggedStatement.of(checkpoint)).isEmpty();
    }

    @Test
    void parameterListsAreReadExactly() {
        assertThat(LoggedStatement.parameters("Parameters: $1 = '', $2 = '''', $3 = 'a, $2 = ''b'''"))
                .containsExactly("", "'", "a, $2 = 'b'");
        assertThat(LoggedStatement.parameters(null)).isEmpty();
        assertThat(LoggedStatement.parameters("Parameters: $1 = NULL")).containsExactly((String) null);
        assertThat(Arrays.asList(LoggedStatement.parameters("Parameters: $1 = 'x\ny'").toArray())).containsExactly("x\ny");
        assertThatThrownBy(() -> LoggedStatement.parameters("Parameters: $2 = 'skipped one'"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoggedStatement.parameters("Parameters: $1 = 'unterminated"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
