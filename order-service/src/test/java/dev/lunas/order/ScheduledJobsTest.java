package dev.lunas.order;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.client.PaymentServiceClient;
import dev.lunas.order.job.IdempotencyKeyReaperJob;
import dev.lunas.order.job.OrderExpiryJob;
import dev.lunas.order.job.PaymentReminderJob;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Concurrently;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.ErrorLogs;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.OnVertx;
import dev.lunas.order.testing.PaymentEvents;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The expiry, reminder and key-reaper jobs against the real database (the scheduler is off in tests). */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class ScheduledJobsTest {

    @InjectPaymentService
    WireMockServer paymentService;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    OrderExpiryJob expiry;

    @Inject
    PaymentReminderJob reminders;

    @Inject
    IdempotencyKeyReaperJob reaper;

    @BeforeEach
    void paymentServiceIssuesTokens() {
        breakers.resetAll();
        paymentService.resetAll();
        PaymentServiceStub.issueTokens(paymentService);
    }

    @Test
    void overdueOrdersExpireAndGiveBackTheirQuotaAndDiscount() throws Exception {
        String packageId = Db.createPackage("kelas-tenggat", 75_000, 3);
        String code = Db.createPercentCode(10, null, 2, true);
        String email = Checkouts.email();
        UUID pending = Checkouts.create(packageId, email, code);
        PaymentServiceStub.answerUnavailable(paymentService, 1);
        UUID neverGotToken = Checkouts.create(packageId);
        PaymentServiceStub.issueTokens(paymentService);
        UUID withinGrace = Checkouts.create(packageId);
        UUID unlimitedWithinGrace = Checkouts.create(Checkouts.SEED_PACKAGE);
        UUID paid = Checkouts.create(Checkouts.SEED_PACKAGE);
        PaymentEvents.expect(PaymentEvents.settled(UUID.randomUUID(), paid, "tx-" + paid, 99000), "APPLIED");
        Db.shiftOrder(unlimitedWithinGrace, "24 hours", "-5 minutes");
        Db.shiftOrder(pending, "25 hours", "-11 minutes");
        Db.shiftOrder(neverGotToken, "25 hours", "-11 minutes");
        Db.shiftOrder(withinGrace, "30 minutes", "-1 minute"); // a limited place: within the 2 min hold grace
        Db.shiftOrder(paid, "25 hours", "-11 minutes");
        assertThat(Db.reserved(packageId)).isEqualTo(3);
        assertThat(Db.orderStatus(neverGotToken)).isEqualTo("CREATED");

        int expired = OnVertx.await(expiry::expireDue);

        assertThat(expired).isGreaterThanOrEqualTo(2);
        assertThat(Db.orderStatus(pending)).isEqualTo("EXPIRED");
        assertThat(Db.orderStatus(neverGotToken)).isEqualTo("EXPIRED");
        assertThat(Db.orderStatus(withinGrace)).isEqualTo("PENDING_PAYMENT");
        assertThat(Db.orderStatus(unlimitedWithinGrace)).isEqualTo("PENDING_PAYMENT");
        assertThat(Db.orderStatus(paid)).isEqualTo("PAID");
        assertThat(Db.reserved(packageId)).isEqualTo(1);
        assertThat(Db.uses(code)).isZero();
        assertThat(Db.value("select released_at from orders.discount_redemption where order_id = ?", pending)).isNotNull();
        assertThat(Db.outbox(pending, "OrderExpired")).isEqualTo(1);
        assertThat(Db.outbox(neverGotToken, "OrderExpired")).isEqualTo(1);
        assertThat(Db.value("select actor from orders.audit_log where order_id = ? and new_value = 'EXPIRED'", pending))
                .isEqualTo("system:order-expiry");

        OnVertx.await(expiry::expireDue);
        assertThat(Db.outbox(pending, "OrderExpired")).isEqualTo(1);
        assertThat(Db.reserved(packageId)).isEqualTo(1);
        Checkouts.create(packageId, email, code);
    }

    @Test
    void defect4_expiryLeavesSettledPaymentAlone() throws Exception {
        String packageId = Db.createPackage("kelas-lunas", 60_000, 2);
        UUID settled = Checkouts.create(packageId);
        UUID pending = Checkouts.create(packageId);
        Db.shiftOrder(settled, "25 hours", "-11 minutes");
        Db.shiftOrder(pending, "25 hours", "-11 minutes");
        // payment-service has the money; the settlement's delivery to order-service is late (an outage)
        PaymentServiceStub.reportPayments(paymentService, Map.of(settled, "SETTLED", pending, "PENDING"));

        try (ErrorLogs logs = ErrorLogs.open()) {
            OnVertx.await(expiry::expireDue);
            assertThat(logs.errors()).filteredOn(line -> line.contains("PAYMENT_SETTLED_NOT_APPLIED")).hasSize(1);
        }

        assertThat(Db.orderStatus(settled)).isEqualTo("PENDING_PAYMENT");
        assertThat(Db.outbox(settled, "OrderExpired")).as("no 'order expired' mail to a paying customer").isZero();
        assertThat(Db.count("select count(*) from orders.audit_log where order_id = ? and new_value = 'EXPIRED'", settled)).isZero();
        assertThat(Db.orderStatus(pending)).isEqualTo("EXPIRED");
        assertThat(Db.reserved(packageId)).as("only the unpaid order's place is given back").isEqualTo(1);

        PaymentEvents.expect(PaymentEvents.settled(UUID.randomUUID(), settled, "tx-" + settled, 60_000), "APPLIED");
        assertThat(Db.orderStatus(settled)).isEqualTo("PAID");
        assertThat(Db.reserved(packageId)).isEqualTo(1);
    }

    @Test
    void defect4_expiryExpiresOrdersWhosePaymentIsNotSettled() throws Exception {
        UUID noAttempt = Checkouts.create(Checkouts.SEED_PACKAGE);
        UUID pending = Checkouts.create(Checkouts.SEED_PACKAGE);
        UUID failed = Checkouts.create(Checkouts.SEED_PACKAGE);
        UUID expired = Checkouts.create(Checkouts.SEED_PACKAGE);
        for (UUID orderId : List.of(noAttempt, pending, failed, expired)) {
            Db.shiftOrder(orderId, "25 hours", "-11 minutes");
        }
        PaymentServiceStub.reportPayments(paymentService, Map.of(pending, "PENDING", failed, "FAILED", expired, "EXPIRED"));

        OnVertx.await(expiry::expireDue);

        for (UUID orderId : List.of(noAttempt, pending, failed, expired)) {
            assertThat(Db.orderStatus(orderId)).isEqualTo("EXPIRED");
            assertThat(Db.outbox(orderId, "OrderExpired")).isEqualTo(1);
        }
        LoggedRequest asked = paymentService.findAll(postRequestedFor(urlEqualTo(PaymentServiceStub.STATUSES_PATH))).get(0);
        assertThat(asked.getHeader("Authorization")).isEqualTo("Bearer test-payments-token");
        assertThat(asked.getBodyAsString()).contains(noAttempt.toString(), pending.toString());
    }

    @Test
    void defect4_paymentServiceDownExpiresNothing() throws Exception {
        String packageId = Db.createPackage("kelas-padam", 50_000, 1);
        UUID overdue = Checkouts.create(packageId);
        Db.shiftOrder(overdue, "25 hours", "-1 hour");

        for (boolean reset : new boolean[] {false, true, false, true, false, true}) {
            PaymentServiceStub.statusesUnavailable(paymentService, reset);
            int expired = OnVertx.await(expiry::expireDue);
            assertThat(expired).isZero();
            assertThat(Db.orderStatus(overdue)).isEqualTo("PENDING_PAYMENT");
        }

        assertThat(Db.outbox(overdue, "OrderExpired")).isZero();
        assertThat(Db.reserved(packageId)).isEqualTo(1);
        assertThat(breakers.currentState(PaymentServiceClient.BREAKER)).as("checkout's breaker is not tripped by the job")
                .isEqualTo(CircuitBreakerState.CLOSED);
        Checkouts.create(Checkouts.SEED_PACKAGE);
        assertThat(PaymentServiceStub.calls(paymentService)).isEqualTo(2);

        breakers.resetAll();
        PaymentServiceStub.reportPayments(paymentService, Map.of());
        OnVertx.await(expiry::expireDue);
        assertThat(Db.orderStatus(overdue)).isEqualTo("EXPIRED");
    }

    @Test
    void replicasRunningTheExpiryJobAtOnceExpireEachOrderOnce() throws Exception {
        String packageId = Db.createPackage("kelas-replika", 40_000, 60);
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            UUID orderId = Checkouts.create(packageId);
            Db.shiftOrder(orderId, "25 hours", "-1 hour");
            orders.add(orderId);
        }

        List<Integer> expiredPerReplica = Concurrently.run(3, i -> () -> OnVertx.await(expiry::expireDue));

        assertThat(expiredPerReplica.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(orders.size());
        for (UUID orderId : orders) {
            assertThat(Db.orderStatus(orderId)).isEqualTo("EXPIRED");
            assertThat(Db.outbox(orderId, "OrderExpired")).isEqualTo(1);
            assertThat(Db.count("select count(*) from orders.audit_log where order_id = ? and new_value = 'EXPIRED'", orderId))
                    .isEqualTo(1);
        }
        assertThat(Db.reserved(packageId)).isZero();
    }

    @Test
    void aPendingOrderGetsExactlyOneReminderBeforeItExpires() throws Exception {
        UUID due = Checkouts.create(Checkouts.SEED_PACKAGE);
        Db.shiftOrder(due, "23 hours", "1 hour");
        UUID notYet = Checkouts.create(Checkouts.SEED_PACKAGE);
        Db.shiftOrder(notYet, "21 hours", "3 hours");
        UUID shortWindow = Checkouts.create(Checkouts.SEED_PACKAGE);
        Db.shiftOrder(shortWindow, "30 minutes", "1 hour");
        PaymentServiceStub.answerUnavailable(paymentService, 1);
        UUID withoutPaymentLink = Checkouts.create(Checkouts.SEED_PACKAGE);
        Db.shiftOrder(withoutPaymentLink, "23 hours", "1 hour");

        OnVertx.await(reminders::remindDue);
        OnVertx.await(reminders::remindDue);

        assertThat(Db.outbox(due, "PaymentReminderDue")).isEqualTo(1);
        assertThat(Db.outboxField(due, "PaymentReminderDue", "paymentUrl")).singleElement()
                .satisfies(url -> assertThat(url).endsWith("tok-" + due));
        assertThat(Db.value("select reminder_sent_at from orders.customer_order where id = ?", due)).isNotNull();
        assertThat(Db.outbox(notYet, "PaymentReminderDue")).isZero();
        assertThat(Db.outbox(shortWindow, "PaymentReminderDue")).isZero();
        assertThat(Db.outbox(withoutPaymentLink, "PaymentReminderDue")).isZero();
    }

    @Test
    void replicasRunningTheReminderJobAtOnceRemindEachOrderOnce() throws Exception {
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            UUID orderId = Checkouts.create(Checkouts.SEED_PACKAGE);
            Db.shiftOrder(orderId, "23 hours", "90 minutes");
            orders.add(orderId);
        }

        Concurrently.run(3, i -> () -> OnVertx.await(reminders::remindDue));

        for (UUID orderId : orders) {
            assertThat(Db.outbox(orderId, "PaymentReminderDue")).isEqualTo(1);
        }
    }

    @Test
    void idempotencyKeysAreKeptSeventyTwoHoursThenReaped() throws Exception {
        String old = "reaper-old-" + UUID.randomUUID();
        String young = "reaper-young-" + UUID.randomUUID();
        Db.execute("insert into orders.idempotency_key (idempotency_key, fingerprint, recovery_point, response_status,"
                + " response_body, created_at) values (?, 'f', 'FINISHED', 409, '{}', now() - interval '73 hours')", old);
        Db.execute("insert into orders.idempotency_key (idempotency_key, fingerprint, recovery_point, response_status,"
                + " response_body, created_at) values (?, 'f', 'FINISHED', 409, '{}', now() - interval '71 hours')", young);

        int reaped = OnVertx.await(reaper::reap);

        assertThat(reaped).isGreaterThanOrEqualTo(1);
        assertThat(Db.count("select count(*) from orders.idempotency_key where idempotency_key = ?", old)).isZero();
        assertThat(Db.count("select count(*) from orders.idempotency_key where idempotency_key = ?", young)).isEqualTo(1);
    }
}
