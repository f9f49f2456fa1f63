package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.midtrans.Delivery;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.ReconciliationReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * payment-service dies by {@code kill -9} in the middle of a stream of settlements: some notifications were
 * answered just before, some are cut off in flight, the rest meet a closed port. After the restart,
 * Midtrans's retries bring the rest in. No notification payment-service answered 2xx may be lost, and every
 * order whose payment Midtrans settled ends PAID, its messages sent once.
 */
@Order(5)
@ExtendWith(SharedSystem.class)
class PaymentServiceCrashTest {

    private static final int BEFORE_THE_CRASH = 6;
    private static final int AFTER_THE_CRASH = 4;
    /** Time between two customers paying. */
    private static final Duration PACE = Duration.ofMillis(40);

    @Test
    void noSettlementPaymentServiceAcceptedIsLostAndEverySettledOrderEndsPaid(SystemUnderTest system) throws Exception {
        CheckoutLedger ledger = new CheckoutLedger(system);
        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < BEFORE_THE_CRASH + AFTER_THE_CRASH; i++) {
            CheckoutLedger.Entry checkout = ledger.checkout("ai-movie-course");
            assertThat(checkout.status()).as("checkout %s", checkout.answer()).isEqualTo(201);
            orderIds.add(checkout.orderId().toString());
        }
        List<String> afterTheCrash = orderIds.subList(BEFORE_THE_CRASH, orderIds.size());

        // customers pay one after another; the process dies as soon as two settlements are in, while the next
        // ones are on their way; the stream holds back the last ones until the process is dead
        CountDownLatch killed = new CountDownLatch(1);
        AtomicInteger paying = new AtomicInteger();
        List<Throwable> streamFailures = new CopyOnWriteArrayList<>();
        ScheduledExecutorService stream = Executors.newSingleThreadScheduledExecutor();
        Set<String> acceptedBeforeTheCrash;
        try {
            stream.scheduleAtFixedRate(() -> {
                int next = paying.get();
                if (next >= orderIds.size()) {
                    return;
                }
                try {
                    if (next >= BEFORE_THE_CRASH && !killed.await(1, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("payment-service was never killed");
                    }
                    system.simulator().decide(orderIds.get(next), Outcome.SETTLEMENT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    streamFailures.add(e);
                }
                paying.incrementAndGet();
            }, 0, PACE.toMillis(), TimeUnit.MILLISECONDS);

            Eventually.soon("two settlements accepted").pollInterval(Duration.ofMillis(10)).until(() -> orderIds.stream()
                    .filter(orderId -> answered(system, orderId, "settlement", PaymentServiceCrashTest::is2xx)).count() >= 2);
            system.kill(Service.PAYMENT);
            killed.countDown();
            acceptedBeforeTheCrash = acceptedFacts(system, orderIds);

            // the stream goes on while nothing listens: connection refused, Midtrans schedules retries
            Eventually.soon("the stream of payments finished").until(() -> paying.get() == orderIds.size());
            assertThat(streamFailures).isEmpty();
            Eventually.soon("the settlements after the crash refused").until(() -> afterTheCrash.stream()
                    .allMatch(orderId -> answered(system, orderId, "settlement", Objects::isNull)));
        } finally {
            stream.shutdownNow();
        }

        system.start(Service.PAYMENT);

        // Midtrans's compressed schedule retries after 2, 10, 30 s…: two minutes cover a slow restart
        Eventually.within(Duration.ofMinutes(2), "every settled order PAID").until(() -> orderIds.stream()
                .allMatch(orderId -> system.storefront().order(orderId).json().path("status").asText().equals("PAID")));

        Set<String> accepted = acceptedFacts(system, orderIds);
        assertThat(accepted).as("every pending and settlement notification was accepted in the end")
                .hasSize(2 * orderIds.size());
        try (Connection db = system.connect()) {
            Set<String> recorded = recordedFacts(db, orderIds);
            assertThat(recorded).as("what payment-service accepted before the crash is in its inbox")
                    .containsAll(acceptedBeforeTheCrash);
            // recorded as notifications: the reconciler (first check 15 min after the attempt) had no part in it
            assertThat(recorded).as("everything it accepted is in its inbox").containsAll(accepted);
        }
        ReconciliationReport report = Ledgers.exactlyOnce(system, ledger, "payment-service killed mid-stream");
        assertThat(report.count("internal events").expected()).isEqualTo(orderIds.size());
    }

    /** Whether a notification of this status for the order had an attempt answered so (null: no HTTP answer). */
    private static boolean answered(SystemUnderTest system, String orderId, String transactionStatus,
                                    Predicate<Integer> answer) {
        return system.simulator().transaction(orderId).orElseThrow().notifications().stream()
                .filter(view -> view.transactionStatus().equals(transactionStatus))
                .flatMap(view -> view.attempts().stream())
                .anyMatch(attempt -> answer.test(attempt.status()));
    }

    private static boolean is2xx(Integer status) {
        return status != null && status / 100 == 2;
    }

    /** "order status" for every notification the simulator saw answered 2xx, as Midtrans's delivery log shows. */
    private static Set<String> acceptedFacts(SystemUnderTest system, List<String> orderIds) {
        Set<String> accepted = new HashSet<>();
        for (String orderId : orderIds) {
            for (Delivery.View notification : system.simulator().transaction(orderId).orElseThrow().notifications()) {
                if (notification.attempts().stream().anyMatch(attempt -> is2xx(attempt.status()))) {
                    accepted.add(orderId + " " + notification.transactionStatus());
                }
            }
        }
        return accepted;
    }

    private static Set<String> recordedFacts(Connection db, List<String> orderIds) throws SQLException {
        Set<String> facts = new HashSet<>();
        try (PreparedStatement query = db.prepareStatement("select order_id, transaction_status from payments.payment_event"
                + " where order_id = any(?) and source = 'WEBHOOK'")) {
            query.setArray(1, db.createArrayOf("text", orderIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    facts.add(rows.getString(1) + " " + rows.getString(2));
                }
            }
        }
        return facts;
    }
}
