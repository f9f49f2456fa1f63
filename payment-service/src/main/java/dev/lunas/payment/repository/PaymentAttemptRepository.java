package dev.lunas.payment.repository;

import dev.lunas.common.persistence.NativeSql;
import dev.lunas.common.sql.SqlTime;
import dev.lunas.payment.model.PaymentAttempt;
import dev.lunas.payment.model.PaymentStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads attempts and changes them only through guarded statements: each UPDATE names the states it
 * may leave, and 0 rows means the change was refused. Times come from the database clock.
 */
@ApplicationScoped
public class PaymentAttemptRepository implements PanacheRepositoryBase<PaymentAttempt, UUID> {

    /** Provider facts copied onto the attempt whenever a notification is applied. */
    public record ProviderFacts(String transactionId, String transactionStatus, String fraudStatus, String paymentType) {
    }

    /** Inserts the attempt unless one exists; true when this call created it. */
    public Uni<Boolean> insertIfAbsent(UUID orderId, long amount, String currency, Instant expiresAt, Instant firstCheckAt) {
        return NativeSql.execute("""
                insert into {h-schema}payment_attempt (order_id, amount, currency, expires_at, next_check_at)
                values (?1, ?2, ?3, to_timestamp(?4), to_timestamp(?5))
                on conflict (order_id) do nothing""",
                orderId, amount, currency, SqlTime.epochSeconds(expiresAt), SqlTime.epochSeconds(firstCheckAt))
                .map(rows -> rows == 1);
    }

    /** The attempt, locked until the transaction ends; null when there is none. */
    public Uni<PaymentAttempt> lock(UUID orderId) {
        return findById(orderId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Takes the right to call Snap for a pending attempt without a token; false while another caller holds it. */
    public Uni<Boolean> takeSnapLease(UUID orderId, Duration lease) {
        return NativeSql.execute("""
                update {h-schema}payment_attempt
                   set snap_lease_until = now() + make_interval(secs => ?2), snap_calls = snap_calls + 1, updated_at = now()
                 where order_id = ?1 and status = 'PENDING' and recovery_point = 'STARTED'
                   and (snap_lease_until is null or snap_lease_until < now())""",
                orderId, SqlTime.seconds(lease))
                .map(rows -> rows == 1);
    }

    public Uni<Boolean> storeToken(UUID orderId, String token, String redirectUrl) {
        return NativeSql.execute("""
                update {h-schema}payment_attempt
                   set snap_token = ?2, redirect_url = ?3, recovery_point = 'TOKEN_CREATED',
                       snap_lease_until = null, last_snap_error = null, updated_at = now()
                 where order_id = ?1 and status = 'PENDING' and recovery_point = 'STARTED'""",
                orderId, token, redirectUrl)
                .map(rows -> rows == 1);
    }

    /** Gives the Snap call up (the outcome is unknown or refused) so that the next request may try again. */
    public Uni<Void> releaseSnapLease(UUID orderId, String error) {
        return NativeSql.execute("""
                update {h-schema}payment_attempt
                   set snap_lease_until = null, last_snap_error = ?2, updated_at = now()
                 where order_id = ?1""",
                orderId, error)
                .replaceWithVoid();
    }

    /** Midtrans already has a transaction for the order (a method was chosen): no new token can be made. */
    public Uni<Void> markProviderTransaction(UUID orderId) {
        return NativeSql.execute("""
                update {h-schema}payment_attempt
                   set recovery_point = 'PROVIDER_TRANSACTION', snap_lease_until = null, updated_at = now()
                 where order_id = ?1 and recovery_point = 'STARTED'""",
                orderId)
                .replaceWithVoid();
    }

    /**
     * Moves the attempt from one of {@code from} to {@code to}, with the provider's facts; a final
     * status ends reconciliation. False when the attempt was not in an allowed state.
     */
    public Uni<Boolean> transition(UUID orderId, List<PaymentStatus> from, PaymentStatus to, ProviderFacts facts,
                                   boolean late) {
        String settledAt = to == PaymentStatus.SETTLED ? "now()" : "settled_at";
        String closedAt = to == PaymentStatus.FAILED || to == PaymentStatus.EXPIRED ? "now()" : "closed_at";
        return NativeSql.execute("""
                update {h-schema}payment_attempt
                   set status = ?2, transaction_id = coalesce(?3, transaction_id), transaction_status = ?4,
                       fraud_status = ?5, payment_type = coalesce(?6, payment_type), late_settlement = ?7,
                       settled_at = %s, closed_at = %s, snap_lease_until = null, next_check_at = null,
                       updated_at = now()
                 where order_id = ?1 and status in (%s)""".formatted(settledAt, closedAt, inList(from)),
                orderId, to.name(), facts.transactionId(), facts.transactionStatus(), facts.fraudStatus(),
                facts.paymentType(), late)
                .map(rows -> rows == 1);
    }

    /** Records what Midtrans reports about an attempt whose status stays as it is. */
    public Uni<Boolean> noteFacts(UUID orderId, PaymentStatus expected, ProviderFacts facts) {
        return NativeSql.execute("""
                update {h-schema}payment_attempt
                   set transaction_id = coalesce(?3, transaction_id), transaction_status = ?4, fraud_status = ?5,
                       payment_type = coalesce(?6, payment_type), updated_at = now()
                 where order_id = ?1 and status = ?2""",
                orderId, expected.name(), facts.transactionId(), facts.transactionStatus(), facts.fraudStatus(),
                facts.paymentType())
                .map(rows -> rows == 1);
    }

    /**
     * Claims up to {@code limit} attempts due a Get Status check by moving their next check forward;
     * rows another replica is claiming are skipped, so replicas never check the same attempt at once.
     * Attempts Midtrans is known to hold (or never asked about) come before those Get Status last
     * answered "doesn't exist", so a crowd of abandoned payments cannot starve a real one.
     */
    @SuppressWarnings("unchecked")
    public Uni<List<UUID>> claimDue(int limit, Duration lease) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        update {h-schema}payment_attempt a
                           set next_check_at = now() + make_interval(secs => ?2), last_checked_at = now()
                          from (select order_id from {h-schema}payment_attempt
                                 where next_check_at <= now()
                                 order by (not_found_checks > 0), next_check_at
                                 limit ?1
                                 for update skip locked) due
                         where a.order_id = due.order_id
                        returning a.order_id""", UUID.class)
                .setParameter(1, limit)
                .setParameter(2, SqlTime.seconds(lease))
                .getResultList())
                .map(rows -> (List<UUID>) rows);
    }

    /** Asks for another check after {@code delay}, unless nothing is left to learn about the attempt. */
    public Uni<Void> scheduleCheck(UUID orderId, Duration delay) {
        return NativeSql.execute("""
                update {h-schema}payment_attempt
                   set next_check_at = now() + make_interval(secs => ?2), last_checked_at = now()
                 where order_id = ?1""",
                orderId, SqlTime.seconds(delay))
                .replaceWithVoid();
    }

    /**
     * Get Status does not know a pending attempt (yet): the next check backs off exponentially, {@code base}
     * times 2^(n-1) after the n-th such answer in a row, at most {@code cap}, but never later than the first
     * check after the expiry plus {@code grace} (which then expires it).
     */
    public Uni<Void> backOffNotFound(UUID orderId, Duration base, Duration cap, Duration grace) {
        return NativeSql.execute("""
                update {h-schema}payment_attempt
                   set not_found_checks = not_found_checks + 1,
                       next_check_at = least(
                           now() + make_interval(secs => least(?2 * power(2, least(not_found_checks, 30)), ?3)),
                           greatest(expires_at + make_interval(secs => ?4) + interval '1 second',
                                    now() + make_interval(secs => ?2))),
                       last_checked_at = now(), updated_at = now()
                 where order_id = ?1 and status = 'PENDING'""",
                orderId, SqlTime.seconds(base), SqlTime.seconds(cap), SqlTime.seconds(grace))
                .replaceWithVoid();
    }

    /**
     * Midtrans holds a transaction for this pending attempt (a notification or Get Status said so):
     * checks return to the regular pace.
     */
    public Uni<Void> markFound(UUID orderId, Duration recheck) {
        return NativeSql.execute("""
                update {h-schema}payment_attempt
                   set not_found_checks = 0,
                       next_check_at = least(next_check_at, now() + make_interval(secs => ?2))
                 where order_id = ?1 and status = 'PENDING' and not_found_checks > 0""",
                orderId, SqlTime.seconds(recheck))
                .replaceWithVoid();
    }

    /** Order id and status of those of {@code orderIds} that have an attempt: one SELECT. */
    public Uni<List<PaymentAttempt>> statuses(List<UUID> orderIds) {
        return list("orderId in ?1", orderIds);
    }

    public Uni<Void> endChecks(UUID orderId) {
        return NativeSql.execute("""
                update {h-schema}payment_attempt set next_check_at = null, last_checked_at = now()
                 where order_id = ?1""",
                orderId)
                .replaceWithVoid();
    }

    /** True when the attempt's expiry (plus {@code grace}) has passed by the database clock. */
    public Uni<Boolean> isPastExpiry(UUID orderId, Duration grace) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        select expires_at + make_interval(secs => ?2) < now()
                          from {h-schema}payment_attempt where order_id = ?1""", Boolean.class)
                .setParameter(1, orderId)
                .setParameter(2, SqlTime.seconds(grace))
                .getSingleResult());
    }

    private static String inList(List<PaymentStatus> statuses) {
        // enum names only, never caller text
        return statuses.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }
}
