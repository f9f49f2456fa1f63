package dev.lunas.payment.repository;

import dev.lunas.common.persistence.NativeSql;
import dev.lunas.common.http.Correlation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The attempt's history: who changed what and why, written in the transaction of the change. */
@ApplicationScoped
public class PaymentAuditRepository {

    public Uni<Void> append(UUID orderId, String action, String oldStatus, String newStatus, String reason,
                            Long paymentEventId) {
        return NativeSql.execute("""
                insert into {h-schema}payment_audit
                       (order_id, action, old_status, new_status, reason, payment_event_id, correlation_id)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""",
                orderId, action, oldStatus, newStatus, reason, paymentEventId, Correlation.currentId())
                .replaceWithVoid();
    }
}
