package dev.lunas.payment.repository;

import dev.lunas.payment.entity.EventOutcome;
import dev.lunas.payment.entity.EventSource;
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
                                case when ?10 = 'AWAITING_CONFIRMATION' then null else now() end)
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

    /** Settles every late-settlement claim of an order still waiting for Get Status; answers how many. */
    public Uni<Integer> resolveAwaiting(String orderId, EventOutcome resolution, String detail) {
        return Sql.execute("""
                update {h-schema}payment_event set outcome = ?2, detail = ?3, resolved_at = now()
                 where order_id = ?1 and outcome = 'AWAITING_CONFIRMATION'""",
                orderId, resolution.name(), detail);
    }
}
