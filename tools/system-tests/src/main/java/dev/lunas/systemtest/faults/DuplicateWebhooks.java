package dev.lunas.systemtest.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.measure.Latencies;
import dev.lunas.launcher.midtrans.Delivery;
import dev.lunas.launcher.midtrans.LedgerEntry;
import dev.lunas.launcher.midtrans.MidtransSimulator.Outcome;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.MidtransNotifications;
import dev.lunas.systemtest.harness.SystemUnderTest;
import dev.lunas.systemtest.ledger.CheckoutLedger;
import dev.lunas.systemtest.ledger.Reconciliation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * T1: duplicate and concurrent webhooks. Many orders; forgeries first, while every payment is pending (a wrong
 * or missing signature, a pending notification's signature on a settlement); then each order's pending and
 * settlement notifications three times at once, a settlement 50 times at once for a few, and afterwards
 * replays of the old pending notification and of the forgery. Exactly one inbox row per notification, every
 * payment settled once and never back to pending, one PaymentSettled per order, forgeries refused with
 * nothing written.
 */
final class DuplicateWebhooks extends Scenario {

    private static final String PACKAGE = "ai-movie-course";
    private static final int COPIES = 3;
    private static final int STORM = 50;
    private static final String ATTACKER_KEY = "SB-Mid-server-not-the-merchants-key";

    DuplicateWebhooks() {
        super("T1", "Duplicate and concurrent webhooks");
    }

    @Override
    public void run(ScenarioRun run) {
        SystemUnderTest system = run.system();
        Db db = new Db(system);
        int orders = run.pick(10, 100, 1_000);
        int stormed = run.pick(1, 2, 5);
        CheckoutLedger ledger = new CheckoutLedger(system);

        run.progress("%d checkouts", orders);
        List<CheckoutLedger.Entry> checkouts = Parallel.run(orders, 8, i -> ledger.checkout(PACKAGE));
        List<UUID> orderIds = checkouts.stream().filter(e -> e.status() == 201).map(CheckoutLedger.Entry::orderId).toList();
        List<String> ids = orderIds.stream().map(UUID::toString).toList();
        run.check("every checkout answered 201 with a Snap token", orderIds.size() == orders
                        && checkouts.stream().allMatch(e -> e.paymentUrl().isPresent()),
                "%d of %d", orderIds.size(), orders);
        run.figure("orders", orders);

        forgeriesWhilePending(run, system, db, orderIds);

        run.progress("each order's notifications %d× at once, a settlement %d× at once for %d order(s)", COPIES, STORM, stormed);
        List<MidtransWebhook.Delivery> copies = new CopyOnWriteArrayList<>();
        Map<String, LedgerEntry> settled = new ConcurrentHashMap<>();
        Parallel.run(ids.size(), 8, i -> {
            String orderId = ids.get(i);
            LedgerEntry transaction = system.simulator().decide(orderId, Outcome.SETTLEMENT);
            settled.put(orderId, transaction);
            String pending = MidtransNotifications.signed(transaction, "pending", system.midtransServerKey()).toString();
            String settlement = MidtransNotifications.signed(transaction, "settlement", system.midtransServerKey()).toString();
            List<String> extra = new ArrayList<>();
            for (int copy = 1; copy < COPIES; copy++) {
                extra.add(pending);
                extra.add(settlement);
            }
            copies.addAll(Parallel.atOnce(extra.size(), n -> MidtransWebhook.deliver(system, extra.get(n))));
            if (i < stormed) {
                system.simulator().resend(orderId, STORM);
            }
            return null;
        });
        boolean allPaid = run.await(run.pick(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5)),
                Duration.ofSeconds(1), () -> db.count("select count(*) from orders.customer_order where id = any(?)"
                        + " and status = 'PAID'", orderIds) == orderIds.size());
        run.check("every order PAID", allPaid, "%d of %d",
                db.count("select count(*) from orders.customer_order where id = any(?) and status = 'PAID'", orderIds),
                orderIds.size());

        run.progress("replays after the settlement: the old pending notification, a settlement copy, the forgery");
        List<MidtransWebhook.Delivery> replays = new CopyOnWriteArrayList<>();
        AtomicInteger lateForgeriesRefused = new AtomicInteger();
        Parallel.run(ids.size(), 8, i -> {
            LedgerEntry transaction = settled.get(ids.get(i));
            replays.add(MidtransWebhook.deliver(system, MidtransNotifications.signed(transaction, "pending",
                    system.midtransServerKey()).toString()));
            replays.add(MidtransWebhook.deliver(system, MidtransNotifications.signed(transaction, "settlement",
                    system.midtransServerKey()).toString()));
            if (MidtransWebhook.once(system, statusChangedUnderPendingSignature(transaction, system, "settlement")) == 400) {
                lateForgeriesRefused.incrementAndGet();
            }
            return null;
        });

        boolean simulatorDone = run.await(Duration.ofMinutes(2), Duration.ofSeconds(1), () -> ids.stream()
                .allMatch(id -> system.simulator().transaction(id).orElseThrow().notifications().stream()
                        .noneMatch(view -> view.state().equals("sending") || view.state().equals("retry_scheduled"))));
        List<Delivery.View> simulated = ids.stream()
                .flatMap(id -> system.simulator().transaction(id).orElseThrow().notifications().stream()).toList();
        long simulatedDelivered = simulated.stream().filter(view -> view.state().equals("delivered")
                && view.attempts().get(view.attempts().size() - 1).status() == 200).count();
        long simulatedFirst503 = simulated.stream().filter(view -> !view.attempts().isEmpty()
                && Integer.valueOf(503).equals(view.attempts().get(0).status())).count();
        run.check("every notification the simulator sent (original, duplicates, storm) answered 200 in the end",
                simulatorDone && simulatedDelivered == simulated.size(), "%d of %d; %d first answered 503 (retried)",
                simulatedDelivered, simulated.size(), simulatedFirst503);
        long copiesAccepted = copies.stream().filter(MidtransWebhook.Delivery::accepted).count();
        long copiesFirst503 = copies.stream().filter(d -> Integer.valueOf(503).equals(d.firstStatus())).count();
        run.check("every concurrent copy answered 200 in the end", copiesAccepted == copies.size(),
                "%d of %d; %d first answered 503 (row busy past lock_timeout, retried as Midtrans would)",
                copiesAccepted, copies.size(), copiesFirst503);
        run.check("every replay after the settlement answered 200 and changed nothing",
                replays.stream().allMatch(MidtransWebhook.Delivery::accepted), "%d of %d answered 200",
                replays.stream().filter(MidtransWebhook.Delivery::accepted).count(), replays.size());
        run.check("the tampered status replayed after the settlement refused 400", lateForgeriesRefused.get() == ids.size(),
                "%d of %d", lateForgeriesRefused.get(), ids.size());

        Map<String, Long> inboxPerOrder = db.counts("select order_id, count(*) from payments.payment_event"
                + " where order_id = any(?) group by order_id", ids);
        Map<String, Long> inboxPerKey = db.counts("select idempotency_key, count(*) from payments.payment_event"
                + " where order_id = any(?) group by idempotency_key", ids);
        run.check("exactly one inbox row per notification (pending, settlement) per order",
                ids.stream().allMatch(id -> inboxPerOrder.getOrDefault(id, 0L) == 2)
                        && inboxPerKey.values().stream().allMatch(n -> n == 1),
                "%d rows for %d orders, largest count per key %d", inboxPerOrder.values().stream().mapToLong(n -> n).sum(),
                ids.size(), inboxPerKey.values().stream().mapToLong(n -> n).max().orElse(0));
        Map<String, Long> attempts = db.counts("select status, count(*) from payments.payment_attempt"
                + " where order_id = any(?) group by status", orderIds);
        long regressions = db.count("select count(*) from payments.payment_audit where order_id = any(?)"
                + " and old_status = 'SETTLED' and new_status is distinct from 'SETTLED'", orderIds);
        run.check("every payment SETTLED, none ever left SETTLED", attempts.getOrDefault("SETTLED", 0L) == ids.size()
                && regressions == 0, "attempts %s, transitions out of SETTLED %d", attempts, regressions);
        Map<String, Long> settledEvents = db.counts("select aggregate_id, count(*) from payments.outbox"
                + " where aggregate_id = any(?) and event_type = 'PaymentSettled' group by aggregate_id", ids);
        Map<String, Long> paidEvents = db.counts("select aggregate_id, count(*) from orders.outbox"
                + " where aggregate_id = any(?) and event_type = 'OrderPaid' group by aggregate_id", ids);
        run.check("exactly one PaymentSettled and one OrderPaid per order",
                ids.stream().allMatch(id -> settledEvents.getOrDefault(id, 0L) == 1 && paidEvents.getOrDefault(id, 0L) == 1),
                "PaymentSettled %d, OrderPaid %d for %d orders", settledEvents.values().stream().mapToLong(n -> n).sum(),
                paidEvents.values().stream().mapToLong(n -> n).sum(), ids.size());

        Latencies firstAnswers = new Latencies();
        copies.forEach(d -> firstAnswers.record(d.firstLatency()));
        run.figure("valid notifications sent", simulated.size() + copies.size() + replays.size());
        run.figure("webhook answer time of the concurrent copies", firstAnswers.summary().text());
        run.ledger(orders + " orders", () -> Reconciliation.of(system, ledger), 0, "exactly once",
                run.pick(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5)));
    }

    /**
     * Forgeries while every payment is pending, so that a write would show: a settlement signed with another
     * key, one without a signature, and a pending notification's genuine signature on a settlement and on a
     * capture (the status is not part of what Midtrans signs).
     */
    private static void forgeriesWhilePending(ScenarioRun run, SystemUnderTest system, Db db, List<UUID> orderIds) {
        run.progress("forged notifications while %d payments are pending", orderIds.size());
        List<String> ids = orderIds.stream().map(UUID::toString).toList();
        long auditBefore = db.count("select count(*) from payments.payment_audit where order_id = any(?)", orderIds);
        double invalidBefore = MetricsSnapshot.scrape(system.baseUrl(Service.PAYMENT)).sum("webhook_invalid_signature_total");
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        Parallel.run(orderIds.size(), 8, i -> {
            String orderId = orderIds.get(i).toString();
            long amount = system.simulator().transaction(orderId).orElseThrow().grossAmount();
            String transactionId = UUID.randomUUID().toString();
            ObjectNode wrongKey = MidtransNotifications.signed(orderId, transactionId, amount, Instant.now(), "settlement",
                    ATTACKER_KEY);
            ObjectNode unsigned = MidtransNotifications.signed(orderId, transactionId, amount, Instant.now(), "settlement",
                    system.midtransServerKey());
            unsigned.remove("signature_key");
            ObjectNode settlement = MidtransNotifications.signed(orderId, transactionId, amount, Instant.now(), "pending",
                    system.midtransServerKey()).put("transaction_status", "settlement");
            ObjectNode capture = MidtransNotifications.signed(orderId, transactionId, amount, Instant.now(), "pending",
                    system.midtransServerKey()).put("transaction_status", "capture");
            record(answers, "signed with another key", MidtransWebhook.once(system, wrongKey.toString()));
            record(answers, "no signature", MidtransWebhook.once(system, unsigned.toString()));
            record(answers, "settlement under a pending signature", MidtransWebhook.once(system, settlement.toString()));
            record(answers, "capture under a pending signature", MidtransWebhook.once(system, capture.toString()));
            return null;
        });
        int n = orderIds.size();
        run.check("forgeries with a wrong or missing signature refused 401",
                count(answers, "signed with another key", 401) == n && count(answers, "no signature", 401) == n,
                "%s", summary(answers, "signed with another key", "no signature"));
        run.check("a pending notification's signature on another status refused 400",
                count(answers, "settlement under a pending signature", 400) == n
                        && count(answers, "capture under a pending signature", 400) == n,
                "%s", summary(answers, "settlement under a pending signature", "capture under a pending signature"));
        long inbox = db.count("select count(*) from payments.payment_event where order_id = any(?)", ids);
        long audit = db.count("select count(*) from payments.payment_audit where order_id = any(?)", orderIds) - auditBefore;
        long events = db.count("select count(*) from payments.outbox where aggregate_id = any(?)", ids);
        long pendingOrders = db.count("select count(*) from orders.customer_order where id = any(?)"
                + " and status = 'PENDING_PAYMENT'", orderIds);
        run.check("the forgeries wrote nothing", inbox == 0 && audit == 0 && events == 0 && pendingOrders == n,
                "inbox rows %d, new audit rows %d, outbox events %d, orders still PENDING_PAYMENT %d of %d", inbox, audit, events,
                pendingOrders, n);
        double invalidAfter = MetricsSnapshot.scrape(system.baseUrl(Service.PAYMENT)).sum("webhook_invalid_signature_total");
        run.check("webhook_invalid_signature_total counted them", invalidAfter - invalidBefore == 2.0 * n,
                "grew by %.0f for %d", invalidAfter - invalidBefore, 2 * n);
    }

    private static String statusChangedUnderPendingSignature(LedgerEntry transaction, SystemUnderTest system, String status) {
        return MidtransNotifications.signed(transaction, "pending", system.midtransServerKey())
                .put("transaction_status", status).toString();
    }

    private static void record(Map<String, AtomicInteger> answers, String kind, int status) {
        answers.computeIfAbsent(kind + " → " + status, k -> new AtomicInteger()).incrementAndGet();
    }

    private static int count(Map<String, AtomicInteger> answers, String kind, int status) {
        AtomicInteger n = answers.get(kind + " → " + status);
        return n == null ? 0 : n.get();
    }

    private static String summary(Map<String, AtomicInteger> answers, String... kinds) {
        return answers.entrySet().stream().filter(e -> List.of(kinds).stream().anyMatch(kind -> e.getKey().startsWith(kind)))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue().get()).collect(Collectors.joining(", "));
    }
}
