package dev.lunas.order.service;

import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.entity.CustomerOrder;
import dev.lunas.order.entity.OrderStatus;
import dev.lunas.order.entity.OrderTransition;
import dev.lunas.order.repository.IdempotencyKeyRepository;
import dev.lunas.order.repository.OrderRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One batch of each background job, in a transaction per batch. Batches are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so any number of replicas can run the jobs at once without doing
 * the same order twice.
 */
@ApplicationScoped
public class OrderMaintenance {

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

    /** Expires open orders past their deadline (plus grace), gives back their quota and discount; answers how many. */
    @WithTransaction
    public Uni<Integer> expireBatch(Journal journal) {
        Instant now = Instant.now();
        return orders.lockDueForExpiry(config.expiry().grace(), config.expiry().batchSize()).chain(due -> {
            List<CustomerOrder> expired = new ArrayList<>();
            return inTurn(due, order -> orders.close(OrderTransition.EXPIRED, order.id(), now).chain(moved -> {
                        if (!moved) {
                            return Uni.createFrom().voidItem();
                        }
                        expired.add(order);
                        return audit.record(order.id(), Actors.EXPIRY_JOB, "status", order.status(), OrderStatus.EXPIRED,
                                        "payment deadline " + order.expiresAt() + " passed")
                                .chain(() -> events.expired(order, now, journal))
                                .invoke(() -> journal.info("ORDER_EXPIRED", order.id(), "unpaid since %s, deadline %s",
                                        order.createdAt(), order.expiresAt()));
                    }))
                    .chain(() -> holdings.release(expired, now))
                    .map(ignored -> expired.size());
        });
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
