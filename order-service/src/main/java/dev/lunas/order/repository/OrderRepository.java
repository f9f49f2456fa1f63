package dev.lunas.order.repository;

import static dev.lunas.common.persistence.NativeSql.execute;
import static dev.lunas.common.sql.SqlTime.epochSeconds;
import static dev.lunas.common.sql.SqlTime.seconds;

import dev.lunas.order.model.ClosedReason;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.OrderStatus;
import dev.lunas.order.model.OrderTransition;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Orders. Every status change is one guarded statement ({@code … where status in (sources)}) taken from
 * {@link OrderTransition}; a false answer means the order was not in a status the change may start from.
 */
@ApplicationScoped
public class OrderRepository implements PanacheRepositoryBase<CustomerOrder, UUID> {

    /** Open and aged-open order counts for the pending gauges. */
    public record PendingCounts(long pending, long aging) {
    }

    // Candidates only, read without a lock: payment-service is asked about them before any is locked.
    // Keyset by id, so one run sees every order at most once, even those it leaves open.
    // Due: past expires_at plus the grace, or plus the (shorter) hold grace for a limited package's held place.
    // ?1 is the shorter of the two, so the open-orders index on expires_at serves the scan.
    private static final String DUE = "status in ('CREATED', 'PENDING_PAYMENT') and expires_at < now() - make_interval(secs => ?1)"
            + " and (place_held_until is not null and expires_at < now() - make_interval(secs => ?2)"
            + " or expires_at < now() - make_interval(secs => ?3))";

    private static final String DUE_FOR_EXPIRY = "select id from {h-schema}customer_order where " + DUE
            + " and id > ?4 order by id limit ?5";

    private static final String STILL_DUE_FOR_EXPIRY = "select * from {h-schema}customer_order where " + DUE
            + " and id in (%s) order by id for update skip locked";

    // Orders whose whole window is shorter than the lead get no reminder: it would arrive with the instructions.
    private static final String DUE_FOR_REMINDER = "select * from {h-schema}customer_order"
            + " where status = 'PENDING_PAYMENT' and reminder_sent_at is null and expires_at > now()"
            + " and expires_at - make_interval(secs => ?1) <= now() and created_at <= expires_at - make_interval(secs => ?1)"
            + " order by expires_at limit ?2 for update skip locked";

    private static final String PENDING_COUNTS = "select count(*), count(*) filter (where created_at < now() - make_interval(secs => ?1))"
            + " from {h-schema}customer_order where status in ('CREATED', 'PENDING_PAYMENT')";

    /** Loads the order and locks its row, so the decision made on its status holds until commit. */
    public Uni<CustomerOrder> findForUpdate(UUID orderId) {
        return findById(orderId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * {@link OrderTransition#PAYMENT_REQUESTED} with the payment link, answering the order as it now is (one
     * statement, no read after it); null when the order was no longer in a status the change starts from.
     */
    public Uni<CustomerOrder> requestPayment(UUID orderId, String token, String paymentUrl, Instant now) {
        OrderTransition transition = OrderTransition.PAYMENT_REQUESTED;
        String sql = "update {h-schema}customer_order set status = ?1, payment_token = ?2, payment_url = ?3,"
                + " updated_at = to_timestamp(?4) where id = ?5 and " + statusIn(transition) + " returning *";
        return getSession().chain(session -> session.createNativeQuery(sql, CustomerOrder.class)
                        .setParameter(1, transition.target().name())
                        .setParameter(2, token)
                        .setParameter(3, paymentUrl)
                        .setParameter(4, epochSeconds(now))
                        .setParameter(5, orderId)
                        .getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** Stores a different token on an order already awaiting payment; no status change. */
    public Uni<Boolean> refreshPaymentLink(UUID orderId, String token, String paymentUrl, Instant now) {
        return update("paymentToken = ?1, paymentUrl = ?2, updatedAt = ?3 where id = ?4 and status = ?5"
                        + " and (paymentToken is null or paymentToken <> ?1 or paymentUrl is null or paymentUrl <> ?2)",
                token, paymentUrl, now, orderId, OrderStatus.PENDING_PAYMENT).map(rows -> rows == 1);
    }

    /** {@link OrderTransition#SETTLED} or {@link OrderTransition#LATE_SETTLEMENT}. */
    public Uni<Boolean> markPaid(OrderTransition transition, UUID orderId, Instant paidAt, String transactionId,
                                 Instant now) {
        requireTarget(transition, OrderStatus.PAID);
        return execute("update {h-schema}customer_order set status = ?1, paid_at = to_timestamp(?2),"
                        + " payment_transaction_id = cast(?3 as text), updated_at = to_timestamp(?4), closed_reason = null"
                        + " where id = ?5 and " + statusIn(transition),
                transition.target().name(), epochSeconds(paidAt), transactionId, epochSeconds(now), orderId)
                .map(rows -> rows == 1);
    }

    /** {@link OrderTransition#FAILED} or {@link OrderTransition#EXPIRED}, recording why. */
    public Uni<Boolean> close(OrderTransition transition, UUID orderId, Instant now, ClosedReason reason) {
        if (transition != OrderTransition.FAILED && transition != OrderTransition.EXPIRED) {
            throw new IllegalArgumentException(transition + " does not close an order");
        }
        return execute("update {h-schema}customer_order set status = ?1, closed_at = to_timestamp(?2),"
                        + " updated_at = to_timestamp(?2), closed_reason = cast(?3 as text) where id = ?4 and " + statusIn(transition),
                transition.target().name(), epochSeconds(now), reason == null ? null : reason.name(), orderId)
                .map(rows -> rows == 1);
    }

    /** Marks the one reminder of a pending order; false when it was already sent or the order moved on. */
    public Uni<Boolean> markReminderSent(UUID orderId, Instant now) {
        return update("reminderSentAt = ?1, updatedAt = ?1 where id = ?2 and status = ?3 and reminderSentAt is null",
                now, orderId, OrderStatus.PENDING_PAYMENT).map(rows -> rows == 1);
    }

    /**
     * Ids of open orders past their expiry plus grace (plus hold grace for a held place), after {@code after}
     * in id order; no lock is taken (the caller asks payment-service about them before locking any).
     */
    public Uni<List<UUID>> findDueForExpiry(Duration grace, Duration holdGrace, UUID after, int limit) {
        return getSession().chain(session -> {
            var query = session.createNativeQuery(DUE_FOR_EXPIRY, UUID.class);
            bindGraces(query, grace, holdGrace);
            return query.setParameter(4, after).setParameter(5, (long) limit).getResultList();
        });
    }

    /**
     * Those of the given orders that are still open and due, locked; rows another replica holds are
     * skipped.
     */
    public Uni<List<CustomerOrder>> lockStillDueForExpiry(List<UUID> orderIds, Duration grace, Duration holdGrace) {
        if (orderIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        StringBuilder placeholders = new StringBuilder();
        for (int i = 0; i < orderIds.size(); i++) {
            placeholders.append(i == 0 ? "" : ", ").append('?').append(i + 4);
        }
        String sql = STILL_DUE_FOR_EXPIRY.formatted(placeholders);
        return getSession().chain(session -> {
            var query = session.createNativeQuery(sql, CustomerOrder.class);
            bindGraces(query, grace, holdGrace);
            for (int i = 0; i < orderIds.size(); i++) {
                query.setParameter(i + 4, orderIds.get(i));
            }
            return query.getResultList();
        });
    }

    private static void bindGraces(Mutiny.SelectionQuery<?> query, Duration grace,
                                   Duration holdGrace) {
        query.setParameter(1, seconds(grace.compareTo(holdGrace) < 0 ? grace : holdGrace))
                .setParameter(2, seconds(holdGrace))
                .setParameter(3, seconds(grace));
    }

    /** Pending orders within the reminder lead of their expiry that have had no reminder, locked. */
    public Uni<List<CustomerOrder>> lockDueForReminder(Duration lead, int limit) {
        return lockBatch(DUE_FOR_REMINDER, lead, limit);
    }

    public Uni<PendingCounts> countPending(Duration agingAge) {
        return getSession().chain(session -> session.<Object[]>createNativeQuery(PENDING_COUNTS)
                        .setParameter(1, seconds(agingAge))
                        .getSingleResult())
                .map(row -> new PendingCounts(((Number) row[0]).longValue(), ((Number) row[1]).longValue()));
    }

    private Uni<List<CustomerOrder>> lockBatch(String sql, Duration window, int limit) {
        return getSession().chain(session -> session.createNativeQuery(sql, CustomerOrder.class)
                .setParameter(1, seconds(window))
                .setParameter(2, (long) limit)
                .getResultList());
    }

    /**
     * {@code status in ('A', 'B')} for the statuses the transition starts from. They are enum names from the code,
     * never input, so they are written into the statement: a fixed text per transition, which PostgreSQL and
     * Hibernate prepare once (a list parameter would make Hibernate translate the statement on every call).
     */
    private static String statusIn(OrderTransition transition) {
        return transition.sources().stream().map(status -> "'" + status.name() + "'").sorted()
                .collect(Collectors.joining(", ", "status in (", ")"));
    }

    private static void requireTarget(OrderTransition transition, OrderStatus target) {
        if (transition.target() != target) {
            throw new IllegalArgumentException(transition + " does not lead to " + target);
        }
    }
}
