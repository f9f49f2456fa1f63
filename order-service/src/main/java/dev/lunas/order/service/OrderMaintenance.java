package dev.lunas.order.service;

import dev.lunas.common.logging.Journal;
import dev.lunas.order.client.PaymentStatuses;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.model.ClosedReason;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.OrderStatus;
import dev.lunas.order.model.OrderTransition;
import dev.lunas.order.repository.IdempotencyKeyRepository;
import dev.lunas.order.repository.OrderRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * One batch of each background job, in a transaction per batch. Batches are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so any number of replicas can run the jobs at once without doing
 * the same order twice. No transaction spans a call to another service.
 */
@ApplicationScoped
public class OrderMaintenance {

    /** payment-service answers the statuses of at most this many orders per call. */
    static final int MAX_STATUS_QUERY = 100;
    private static final Set<String> UNSETTLED = Set.of("PENDING", "FAILED", "EXPIRED");

    private final OrderRepository orders;
    private final IdempotencyKeyRepository keys;
    private final Holdings holdings;
    private final AuditTrail audit;
    private final OrderEvents events;
    private final OrderConfig config;

    public OrderMaintenance(OrderRepository orders, IdempotencyKeyRepository keys, Holdings holdings, AuditTrail audit,
                            OrderEvents events, OrderConfig config) {
        this.orders = orders;
        this.keys = keys;
        this.holdings = holdings;
        this.audit = audit;
        this.events = events;
        this.config = config;
    }

    /**
     * Up to a batch of open orders past their deadline plus grace (the shorter hold grace for a limited
     * package's held place), after {@code after} in id order. Read without a lock and outside any
     * transaction: payment-service is asked about them before any is locked.
     */
    @WithSession
    public Uni<List<UUID>> dueForExpiry(UUID after) {
        return orders.findDueForExpiry(config.expiry().grace(), config.expiry().holdGrace(), after, batchSize());
    }

    /**
     * Expires those of the candidates that are still due, unless payment-service has settled their payment
     * (the settlement's delivery is late; its redelivery will make the order PAID): such an order is left
     * open and reported once, critically. No attempt, or a pending, failed or expired one, is expirable;
     * a status this service does not know is left alone. Each expired order gives back its quota place and
     * discount, with its audit row and OrderExpired, all in this one transaction. Answers how many expired.
     */
    @WithTransaction
    public Uni<Integer> expireBatch(List<UUID> candidates, Map<UUID, String> paymentStatuses, Journal journal) {
        Instant now = Instant.now();
        return orders.lockStillDueForExpiry(candidates, config.expiry().grace(), config.expiry().holdGrace()).chain(due -> {
            List<CustomerOrder> expired = new ArrayList<>();
            return inTurn(due, order -> {
                        if (!expirable(order, paymentStatuses.get(order.id()), journal)) {
                            return Uni.createFrom().voidItem();
                        }
                        return expire(order, now, journal).invoke(moved -> addIf(moved, expired, order)).replaceWithVoid();
                    })
                    .chain(() -> holdings.release(expired, now))
                    .map(ignored -> expired.size());
        });
    }

    /** Largest batch payment-service answers statuses for in one call. */
    public int batchSize() {
        return Math.min(config.expiry().batchSize(), MAX_STATUS_QUERY);
    }

    private static void addIf(boolean moved, List<CustomerOrder> expired, CustomerOrder order) {
        if (moved) {
            expired.add(order);
        }
    }

    private static boolean expirable(CustomerOrder order, String paymentStatus, Journal journal) {
        if (paymentStatus == null || UNSETTLED.contains(paymentStatus)) {
            return true;
        }
        if (PaymentStatuses.SETTLED.equals(paymentStatus)) {
            journal.critical("PAYMENT_SETTLED_NOT_APPLIED", order.id(), "payment-service has settled the payment of"
                    + " this %s order, deadline %s, but the settlement has not arrived; left open for its redelivery",
                    order.status(), order.expiresAt());
        } else {
            journal.info("PAYMENT_STATUS_UNKNOWN", order.id(), "payment-service reports an unknown payment status; not expired");
        }
        return false;
    }

    private Uni<Boolean> expire(CustomerOrder order, Instant now, Journal journal) {
        ClosedReason reason = order.expiryReason();
        return orders.close(OrderTransition.EXPIRED, order.id(), now, reason).call(moved -> !moved
                ? Uni.createFrom().voidItem()
                : audit.record(order.id(), Actors.EXPIRY_JOB, "status", order.status(), OrderStatus.EXPIRED,
                                reason + ": payment deadline " + order.expiresAt() + " passed")
                        .chain(() -> events.expired(order, now, journal))
                        .invoke(() -> journal.info("ORDER_EXPIRED", order.id(), "%s, unpaid since %s, deadline %s",
                                reason, order.createdAt(), order.expiresAt())));
    }

    /** Publishes the one PaymentReminderDue of each pending order that entered its reminder lead; answers how many. */
    @WithTransaction
    public Uni<Integer> remindBatch(Journal journal) {
        Instant now = Instant.now();
        return orders.lockDueForReminder(config.reminder().lead(), config.reminder().batchSize()).chain(due -> {
            List<CustomerOrder> reminded = new ArrayList<>();
            return inTurn(due, order -> orders.markReminderSent(order.id(), now).chain(marked -> {
                        if (!marked) {
                            return Uni.createFrom().voidItem();
                        }
                        reminded.add(order);
                        return audit.record(order.id(), Actors.REMINDER_JOB, "reminder", null, now,
                                        "payment deadline " + order.expiresAt())
                                .chain(() -> events.reminderDue(order, journal))
                                .invoke(() -> journal.info("PAYMENT_REMINDER_DUE", order.id(), "deadline %s",
                                        order.expiresAt()));
                    }))
                    .map(ignored -> reminded.size());
        });
    }

    /** Deletes one batch of Idempotency-Keys past their retention; answers how many. */
    @WithTransaction
    public Uni<Integer> reapKeyBatch() {
        return keys.reap(config.idempotencyKeys().retention(), config.idempotencyKeys().batchSize());
    }

    private static Uni<Void> inTurn(List<CustomerOrder> orders, Function<CustomerOrder, Uni<Void>> step) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (CustomerOrder order : orders) {
            chain = chain.chain(() -> step.apply(order));
        }
        return chain;
    }
}
