package dev.lunas.payment.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.events;
import static dev.lunas.payment.testing.Api.pendingPayment;
import static dev.lunas.payment.testing.Api.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.common.testing.TestDatabase;
import dev.lunas.payment.config.PaymentConfig;
import dev.lunas.payment.testing.Db;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.Midtrans;
import dev.lunas.payment.testing.Midtrans.Note;
import dev.lunas.payment.testing.MidtransWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 8: pending attempts Get Status does not know are checked ever less often (exponential from the
 * recheck interval up to a cap), attempts Midtrans does know keep the regular pace and are claimed first,
 * and each run does at most a batch of checks.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class ReconciliationBackoffTest {

    private static final int ABANDONED = 999;

    @InjectMidtrans
    WireMockServer midtrans;

    @Inject
    ReconciliationJob job;

    @Inject
    PaymentConfig config;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        Db.reset();
        midtrans.resetAll();
        breakers.resetAll();
        // every order Midtrans has no transaction for: "Transaction doesn't exist"
        midtrans.stubFor(get(urlPathMatching("/v2/.+/status")).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status_code\":\"404\",\"status_message\":\"Transaction doesn't exist.\"}")));
    }

    @AfterEach
    void closeBreakers() {
        breakers.resetAll();
    }

    @Test
    void defect8_aMissedSettlementAmongAThousandAbandonedPaymentsIsFoundInTheFirstRunOnceTheyBackOff() throws Exception {
        int batch = config.reconciliation().batchSize();
        // 999 abandoned payments and one the customer paid by VA, all due; the paid one is the least overdue
        insertDuePendingAttempts(ABANDONED);
        UUID paid = pendingPayment(midtrans);
        Db.update("update payments.payment_attempt set next_check_at = now() - interval '1 second' where order_id = ?", paid);
        Midtrans.stubStatus(midtrans, paid, Note.of(paid).status("pending", "201").amount("99000.00").set("payment_type", "echannel"));

        // the first sweep: every run does at most a batch, until everything due was asked once
        int runs = 0;
        int calls = 0;
        for (int checked = -1; checked != 0; runs++) {
            checked = runJob();
            assertThat(checked).isLessThanOrEqualTo(batch);
            calls += checked;
        }
        assertThat(calls).isEqualTo(ABANDONED + 1);
        assertThat(runs - 1).isEqualTo((ABANDONED + 1 + batch - 1) / batch);
        assertThat(Db.count("select count(*) from payments.payment_attempt where not_found_checks = 1")).isEqualTo(ABANDONED);

        // the customer pays; the notification is lost. One recheck interval later everything is due again,
        // but the payment Midtrans knows is claimed before the abandoned ones: found in the very first run
        Midtrans.stubStatus(midtrans, paid, Note.settlement(paid, AMOUNT));
        travel(config.reconciliation().recheckInterval().toSeconds() + 1);
        assertThat(Db.count("select count(*) from payments.payment_attempt where next_check_at <= now()"))
                .isEqualTo(ABANDONED + 1);

        assertThat(runJob()).isLessThanOrEqualTo(batch);
        assertThat(status(paid)).isEqualTo("SETTLED");
        assertThat(events(paid)).containsExactly("PaymentSettled");

        // and the abandoned ones back off: after their second "doesn't exist" the next check is 2 intervals away
        while (runJob() > 0) {
            // the second sweep
        }
        long interval = config.reconciliation().recheckInterval().toSeconds();
        assertThat((Boolean) Db.single("select bool_and(next_check_at > now() + make_interval(secs => ?)"
                + " and not_found_checks = 2) from payments.payment_attempt where status = 'PENDING'", 2 * interval - 60.0)).isTrue();
    }

    @Test
    void defect8_theBackOffDoublesUpToTheCapStopsAtTheExpiryAndResetsWhenTheCustomerChoosesAMethod() throws Exception {
        long interval = config.reconciliation().recheckInterval().toSeconds();
        long cap = config.reconciliation().notFoundBackoffCap().toSeconds();
        UUID orderId = pendingPayment(midtrans);
        Db.update("update payments.payment_attempt set expires_at = now() + interval '1 day' where order_id = ?", orderId);

        assertThat(checkNotFound(orderId, 0)).isBetween(interval - 30, interval + 30);
        assertThat(checkNotFound(orderId, 2)).isBetween(4 * interval - 30, 4 * interval + 30);
        assertThat(checkNotFound(orderId, 20)).isBetween(cap - 30, cap + 30);

        // close to the expiry the next check is the one that expires it
        Db.update("update payments.payment_attempt set expires_at = now() + interval '10 minutes' where order_id = ?", orderId);
        long grace = config.reconciliation().expiryGrace().toSeconds();
        assertThat(checkNotFound(orderId, 20)).isBetween(600 + grace - 30, 600 + grace + 30);

        // the customer picks a VA: Midtrans holds a transaction now, checks return to the regular pace
        deliver(Note.of(orderId).status("pending", "201").amount("99000.00").set("payment_type", "echannel").json())
                .then().statusCode(200);
        assertThat(Db.count("select not_found_checks from payments.payment_attempt where order_id = ?", orderId)).isZero();
        assertThat((Boolean) Db.single("select next_check_at <= now() + make_interval(secs => ?) from payments.payment_attempt"
                + " where order_id = ?", (double) interval + 5, orderId)).isTrue();
    }

    /** One "doesn't exist" answer after {@code previous} ones in a row; answers the seconds to the next check. */
    private long checkNotFound(UUID orderId, int previous) throws Exception {
        Db.update("update payments.payment_attempt set not_found_checks = ?, next_check_at = now() - interval '1 second'"
                + " where order_id = ?", previous, orderId);
        assertThat(runJob()).isEqualTo(1);
        assertThat(Db.count("select not_found_checks from payments.payment_attempt where order_id = ?", orderId))
                .isEqualTo(previous + 1);
        return Db.count("select extract(epoch from next_check_at - now())::bigint from payments.payment_attempt where order_id = ?",
                orderId);
    }

    /** Pending attempts as order-service would have left them, written straight into the table. */
    private static void insertDuePendingAttempts(int count) throws Exception {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement insert = connection.prepareStatement(
                "insert into payments.payment_attempt (order_id, amount, currency, expires_at, next_check_at)"
                        + " values (?, ?, 'IDR', now() + interval '3 hours', now() - make_interval(secs => ?))")) {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(UUID.randomUUID());
                insert.setObject(1, ids.get(i));
                insert.setLong(2, AMOUNT);
                // older than the paid one's: by next_check_at alone they would all come first
                insert.setDouble(3, 60 + i);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Moves every due time back, as if that many seconds had passed. */
    private static void travel(long seconds) {
        Db.update("update payments.payment_attempt set next_check_at = next_check_at - make_interval(secs => ?),"
                + " expires_at = expires_at - make_interval(secs => ?) where next_check_at is not null", (double) seconds, (double) seconds);
    }

    /** One run of the job; answers how many Get Status calls it made. */
    private int runJob() {
        int before = midtrans.findAll(getRequestedFor(urlPathMatching("/v2/.+/status"))).size();
        try {
            VertxContextSupport.subscribeAndAwait(() -> job.run());
        } catch (Throwable e) {
            throw new AssertionError("The reconciliation job failed", e);
        }
        return midtrans.findAll(getRequestedFor(urlPathMatching("/v2/.+/status"))).size() - before;
    }
}
