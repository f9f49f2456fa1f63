package dev.lunas.benchmark.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaptureTest {

    private final List<LogEntry> log = new ArrayList<>();

    private void statement(String application, long pid, String vxid, long txid, String message, String detail) {
        log.add(new LogEntry(log.size(), application, pid, vxid, txid, message, detail, 0));
    }

    @Test
    void keepsTheRequestsTransactionsOfTheServicesOnItsPathInTheOrderTheyStarted() {
        statement("order-service", 1, "3/7", 0, "statement: BEGIN", null);
        statement("order-service", 2, "4/1", 0, "statement: BEGIN", null);
        statement("order-service", 1, "3/7", 90, "execute 1: insert into orders.idempotency_key values ($1)", "Parameters: $1 = 'key-123'");
        statement("order-service", 2, "4/1", 0, "execute 2: select count(*) from orders.customer_order where expires_at < now()", null);
        statement("order-service", 2, "4/1", 0, "statement: COMMIT", null);
        statement("order-service", 1, "3/7", 90, "statement: COMMIT", null);
        statement("payment-service", 5, "8/2", 0, "statement: BEGIN", null);
        statement("payment-service", 5, "8/2", 91, "execute 1: insert into payments.payment_attempt values ($1)", "Parameters: $1 = 'order-9'");
        statement("payment-service", 5, "8/2", 91, "statement: COMMIT", null);
        statement("notification-service", 6, "9/1", 92, "execute 3: insert into notifications.delivery values ($1)", "Parameters: $1 = 'order-9'");
        statement("order-service", 1, "3/8", 0, "execute 4: select * from orders.customer_order where id = $1", "Parameters: $1 = 'order-9'");
        statement("order-service", 1, "3/8", 0, "duration: 0.3 ms", null);

        List<CapturedTransaction> captured = Capture.transactions(log, Set.of("order-service", "payment-service"),
                List.of("key-123", "order-9"));

        assertThat(captured).extracting(CapturedTransaction::application)
                .containsExactly("order-service", "payment-service", "order-service");
        assertThat(captured.get(0).txid()).isEqualTo(90);
        assertThat(captured.get(0).statements()).hasSize(3);
        assertThat(captured.get(0).work()).singleElement().satisfies(s -> assertThat(s.sql()).contains("idempotency_key"));
        assertThat(captured.get(2).statements()).as("a single autocommit statement").hasSize(1);
    }

    @Test
    void aTransactionThatDidNotCommitSpoilsTheProbe() {
        statement("order-service", 1, "3/7", 0, "statement: BEGIN", null);
        statement("order-service", 1, "3/7", 90, "execute 1: insert into orders.idempotency_key values ($1)", "Parameters: $1 = 'key-123'");
        statement("order-service", 1, "3/7", 90, "statement: ROLLBACK", null);

        assertThatThrownBy(() -> Capture.transactions(log, Set.of("order-service"), List.of("key-123")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not commit");
    }
}
