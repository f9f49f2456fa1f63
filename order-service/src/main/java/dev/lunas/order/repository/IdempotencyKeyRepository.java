package dev.lunas.order.repository;

import static dev.lunas.common.persistence.NativeSql.execute;
import static dev.lunas.common.sql.SqlTime.seconds;

import dev.lunas.order.model.IdempotencyRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * Checkout Idempotency-Keys. Leases are computed and compared with the database clock, so replicas with
 * drifting clocks agree on who owns a key; every update after the claim is guarded by the recovery point
 * and, where a lease is given back, by the lease owner.
 */
@ApplicationScoped
public class IdempotencyKeyRepository implements PanacheRepositoryBase<IdempotencyRecord, String> {

    // A concurrent duplicate blocks here on the first request's uncommitted row until that commits.
    private static final String CLAIM = "insert into {h-schema}idempotency_key (idempotency_key, fingerprint, recovery_point)"
            + " values (?1, ?2, 'STARTED') on conflict (idempotency_key) do nothing";

    private static final String MARK_ORDER_CREATED = "update {h-schema}idempotency_key set recovery_point = 'ORDER_CREATED',"
            + " order_id = ?2, lease_owner = ?3, locked_until = now() + make_interval(secs => ?4), updated_at = now()"
            + " where idempotency_key = ?1 and recovery_point = 'STARTED'";

    private static final String TAKE_OVER = "update {h-schema}idempotency_key set lease_owner = ?2,"
            + " locked_until = now() + make_interval(secs => ?3), updated_at = now()"
            + " where idempotency_key = ?1 and recovery_point = 'ORDER_CREATED'"
            + " and (locked_until is null or locked_until < now())";

    private static final String RELEASE = "update {h-schema}idempotency_key set lease_owner = null, locked_until = null,"
            + " updated_at = now() where idempotency_key = ?1 and recovery_point = 'ORDER_CREATED' and lease_owner = ?2";

    private static final String FINISH = "update {h-schema}idempotency_key set recovery_point = 'FINISHED',"
            + " response_status = ?2, response_body = ?3, lease_owner = null, locked_until = null, updated_at = now()"
            + " where idempotency_key = ?1 and recovery_point in ('STARTED', 'ORDER_CREATED')";

    private static final String REAP = "delete from {h-schema}idempotency_key where idempotency_key in ("
            + "select idempotency_key from {h-schema}idempotency_key where created_at < now() - make_interval(secs => ?1)"
            + " limit ?2 for update skip locked)";

    /** True when this request now owns the key; false when the key already exists (committed). */
    public Uni<Boolean> claim(String key, String fingerprint) {
        return execute(CLAIM, key, fingerprint).map(rows -> rows == 1);
    }

    public Uni<Void> markOrderCreated(String key, UUID orderId, UUID leaseOwner, Duration lease) {
        return execute(MARK_ORDER_CREATED, key, orderId, leaseOwner, seconds(lease)).invoke(rows -> expectOne(rows, key))
                .replaceWithVoid();
    }

    /** Takes over the payment step of a key whose previous owner's lease has run out. */
    public Uni<Boolean> takeOver(String key, UUID leaseOwner, Duration lease) {
        return execute(TAKE_OVER, key, leaseOwner, seconds(lease)).map(rows -> rows == 1);
    }

    /** Gives the lease back so an immediate retry can resume; only the owner can. */
    public Uni<Void> release(String key, UUID leaseOwner) {
        return execute(RELEASE, key, leaseOwner).replaceWithVoid();
    }

    /** Stores the final answer; false when another request finished the key first. */
    public Uni<Boolean> finish(String key, int status, String body) {
        return execute(FINISH, key, status, body).map(rows -> rows == 1);
    }

    /** Deletes up to {@code limit} keys older than the retention; rows another replica is deleting are skipped. */
    public Uni<Integer> reap(Duration retention, int limit) {
        return execute(REAP, seconds(retention), (long) limit);
    }

    private static void expectOne(int rows, String key) {
        if (rows != 1) {
            throw new IllegalStateException("Idempotency key " + key + " was not in STARTED");
        }
    }
}
