package dev.lunas.payment.repository;

import dev.lunas.common.persistence.NativeSql;
import dev.lunas.payment.model.EventOutcome;
import dev.lunas.payment.model.EventSource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The payment_event inbox: one row per idempotency key, written in the transaction that acts on it. */
@ApplicationScoped
public class PaymentEventRepository {

    /** A fact to record, with the raw payload exactly as received. */
    public record NewEvent(String idempotencyKey, String orderId, String transactionId, String transactionStatus,
                           String fraudStatus, String statusCode, String grossAmount, String refundAmount,
                           EventSource source, EventOutcome outcome, String detail, String payload) {
    }

    /** Inserts the event unless its key is already recorded; answers the new row's id, or null for a duplicate. */
    @SuppressWarnings("unchecked")
    public Uni<Long> insertIfAbsent(NewEvent event) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into {h-schema}payment_event
                               (idempotency_key, order_id, transaction_id, transaction_status, fraud_status, status_code,
                                gross_amount, refund_amount, source, outcome, detail, payload,
                                resolved_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                                case when ?10 in ('AWAITING_CONFIRMATION', 'DEFERRED') then null else now() end)
                        on conflict (idempotency_key) do nothing
                        returning id""", Long.class)
                .setParameter(1, event.idempotencyKey())
                .setParameter(2, event.orderId())
                .setParameter(3, event.transactionId())
                .setParameter(4, event.transactionStatus())
                .setParameter(5, event.fraudStatus())
                .setParameter(6, event.statusCode())
                .setParameter(7, event.grossAmount())
                .setParameter(8, event.refundAmount())
                .setParameter(9, event.source().name())
                .setParameter(10, event.outcome().name())
                .setParameter(11, event.detail())
                .setParameter(12, event.payload())
                .getResultList())
                .map(rows -> ((List<Long>) rows).isEmpty() ? null : ((List<Long>) rows).get(0));
    }

    /** The inbox row a key is already recorded under. */
    public record Stored(long id, EventOutcome outcome) {
    }

    /** A claim waiting for Get Status: what it said. */
    public record Claim(long id, String transactionStatus, String fraudStatus, String refundAmount) {
    }

    /** The row already recorded under this key, or null. */
    @SuppressWarnings("unchecked")
    public Uni<Stored> find(String idempotencyKey) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        select id, outcome from {h-schema}payment_event where idempotency_key = ?1""", Object[].class)
                .setParameter(1, idempotencyKey)
                .getResultList())
                .map(rows -> {
                    List<Object[]> found = (List<Object[]>) (List<?>) rows;
                    return found.isEmpty() ? null
                            : new Stored(((Number) found.get(0)[0]).longValue(), EventOutcome.valueOf((String) found.get(0)[1]));
                });
    }

    /** The claims of an order still waiting for Get Status (the caller holds the attempt's lock). */
    @SuppressWarnings("unchecked")
    public Uni<List<Claim>> awaiting(String orderId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        select id, transaction_status, fraud_status, refund_amount from {h-schema}payment_event
                         where order_id = ?1 and outcome = 'AWAITING_CONFIRMATION' order by id""", Object[].class)
                .setParameter(1, orderId)
                .getResultList())
                .map(rows -> ((List<Object[]>) (List<?>) rows).stream()
                        .map(row -> new Claim(((Number) row[0]).longValue(), (String) row[1], (String) row[2], (String) row[3]))
                        .toList());
    }

    /** The id of the newest inbox row (0 when there is none). */
    public Uni<Long> newestId() {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        select coalesce(max(id), 0) from {h-schema}payment_event""", Long.class)
                .getSingleResult());
    }

    /** How many claims of an order wait for Get Status. */
    public Uni<Long> countAwaiting(String orderId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        select count(*) from {h-schema}payment_event
                         where order_id = ?1 and outcome = 'AWAITING_CONFIRMATION'""", Long.class)
                .setParameter(1, orderId)
                .getSingleResult());
    }

    /** Ends one claim with its resolution (CONFIRMED or NOT_CONFIRMED). */
    public Uni<Void> resolve(long id, EventOutcome resolution, String detail) {
        return NativeSql.execute("""
                update {h-schema}payment_event set outcome = ?2, detail = ?3, resolved_at = now()
                 where id = ?1 and outcome = 'AWAITING_CONFIRMATION'""",
                id, resolution.name(), detail)
                .replaceWithVoid();
    }

    /** A recorded fact re-evaluated (a deferred refund whose settlement arrived): its new outcome. */
    public Uni<Void> reevaluate(long id, EventOutcome outcome, String detail) {
        return NativeSql.execute("""
                update {h-schema}payment_event
                   set outcome = ?2, detail = ?3,
                       resolved_at = case when ?2 in ('AWAITING_CONFIRMATION', 'DEFERRED') then null else now() end
                 where id = ?1""",
                id, outcome.name(), detail)
                .replaceWithVoid();
    }

    /** The settlement arrived: every deferred refund or chargeback of the order becomes a claim for Get Status. */
    public Uni<Integer> promoteDeferred(String orderId) {
        return NativeSql.execute("""
                update {h-schema}payment_event
                   set outcome = 'AWAITING_CONFIRMATION', detail = 'settlement arrived; awaiting Get Status'
                 where order_id = ?1 and outcome = 'DEFERRED'""",
                orderId);
    }
}
