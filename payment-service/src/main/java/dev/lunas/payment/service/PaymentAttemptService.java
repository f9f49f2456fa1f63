package dev.lunas.payment.service;

import dev.lunas.common.problem.ProblemException;
import dev.lunas.payment.config.PaymentConfig;
import dev.lunas.payment.model.PaymentAttempt;
import dev.lunas.payment.model.PaymentStatus;
import dev.lunas.payment.model.RecoveryPoint;
import dev.lunas.payment.repository.PaymentAttemptRepository;
import dev.lunas.payment.repository.PaymentAuditRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The atomic phases around the Snap call (docs/reliability.md §1.3): each method is one short transaction;
 * the Midtrans call itself runs between them, outside any transaction.
 */
@ApplicationScoped
public class PaymentAttemptService {

    /** Snap will not make a token that lives less than this. */
    static final Duration MINIMUM_LIFETIME = Duration.ofMinutes(1);

    private final PaymentAttemptRepository attempts;
    private final PaymentAuditRepository audit;
    private final PaymentConfig config;

    public PaymentAttemptService(PaymentAttemptRepository attempts, PaymentAuditRepository audit, PaymentConfig config) {
        this.attempts = attempts;
        this.audit = audit;
        this.config = config;
    }

    /**
     * What phase one found: an attempt to answer from as it is, or the right to call Snap (a lease)
     * for a pending attempt that has no token yet.
     */
    public record Start(PaymentAttempt attempt, boolean created, boolean callSnap) {
    }

    /**
     * Phase one: the attempt row commits before Midtrans is called. Answers the stored token while one
     * is pending; refuses a closed payment or a different amount for good (422 payment-closed,
     * payment-conflict); gives the Snap call to exactly one of several concurrent requests (the others
     * get the transient 409 payment-in-progress with Retry-After and repeat in a second).
     */
    @WithTransaction
    public Uni<Start> begin(PaymentRequest request) {
        Instant firstCheck = earliest(Instant.now().plus(config.reconciliation().pendingThreshold()),
                request.expiresAt().minus(config.reconciliation().nearExpiry()));
        return attempts.insertIfAbsent(request.orderId(), request.amount(), request.currency(), request.expiresAt(),
                        firstCheck)
                .chain(created -> created
                        // the new row is locked by its insert and holds exactly what was inserted: no need to read it
                        ? audit.append(request.orderId(), "ATTEMPT_CREATED", null, PaymentStatus.PENDING.name(),
                                        "amount " + request.amount() + " " + request.currency(), null)
                                .chain(() -> decideStart(request, PaymentAttempt.started(request.orderId(), request.amount(),
                                        request.currency(), request.expiresAt()), true))
                        : attempts.lock(request.orderId()).chain(attempt -> decideStart(request, attempt, false)));
    }

    private Uni<Start> decideStart(PaymentRequest request, PaymentAttempt attempt, boolean created) {
        if (attempt.amount() != request.amount() || !attempt.currency().equals(request.currency())) {
            throw ProblemException.unprocessable("payment-conflict", "A payment for this order exists with amount "
                    + attempt.amount() + " " + attempt.currency());
        }
        if (attempt.status() != PaymentStatus.PENDING) {
            throw closed(attempt);
        }
        if (!Instant.now().plus(MINIMUM_LIFETIME).isBefore(attempt.expiresAt())) {
            throw ProblemException.unprocessable("payment-closed", "The order expires within a minute; no new payment can start");
        }
        if (attempt.recoveryPoint() == RecoveryPoint.TOKEN_CREATED) {
            return Uni.createFrom().item(new Start(attempt, created, false));
        }
        if (attempt.recoveryPoint() == RecoveryPoint.PROVIDER_TRANSACTION) {
            throw providerHasTransaction();
        }
        return attempts.takeSnapLease(attempt.orderId(), config.snap().lease())
                .map(leased -> {
                    if (!leased) {
                        throw ProblemException.conflict("payment-in-progress",
                                "Another request is creating this payment right now", Duration.ofSeconds(1));
                    }
                    return new Start(attempt, created, true);
                });
    }

    /**
     * Phase three: the token is stored; from now on asking again returns it. Answers the attempt with its token,
     * read back only when the store did not apply (a notification closed the payment while Snap was answering).
     */
    @WithTransaction
    public Uni<PaymentAttempt> storeToken(PaymentAttempt started, String token, String redirectUrl) {
        UUID orderId = started.orderId();
        return attempts.storeToken(orderId, token, redirectUrl).chain(stored -> stored
                ? audit.append(orderId, "TOKEN_ISSUED", null, null, "Snap transaction created", null)
                        .replaceWith(started.withToken(token, redirectUrl))
                : attempts.lock(orderId).map(attempt -> {
                    if (attempt.status() != PaymentStatus.PENDING) {
                        throw closed(attempt);
                    }
                    return attempt;
                }));
    }

    /** The Snap call ended without a token (refused, failed or unknown): the next request may try again. */
    @WithTransaction
    public Uni<Void> releaseSnapLease(UUID orderId, String error) {
        return attempts.releaseSnapLease(orderId, error);
    }

    /** Snap says the order_id is taken: Midtrans holds the transaction; no token will ever be made. */
    @WithTransaction
    public Uni<PaymentAttempt> markProviderTransaction(UUID orderId) {
        return attempts.markProviderTransaction(orderId)
                .chain(() -> audit.append(orderId, "PROVIDER_TRANSACTION", null, null,
                        "Snap refused the order_id as already used", null))
                .chain(() -> attempts.lock(orderId));
    }

    /** The attempts of those orders that have one: one SELECT, no transaction. */
    @WithSession
    public Uni<List<PaymentAttempt>> statuses(List<UUID> orderIds) {
        return attempts.statuses(orderIds);
    }

    @WithSession
    public Uni<PaymentAttempt> find(UUID orderId) {
        return attempts.findById(orderId);
    }

    @WithTransaction
    public Uni<List<UUID>> claimDue() {
        return attempts.claimDue(config.reconciliation().batchSize(), config.reconciliation().recheckInterval());
    }

    /** A Get Status check failed: try again sooner than the regular recheck. */
    @WithTransaction
    public Uni<Void> retryCheckLater(UUID orderId) {
        return attempts.scheduleCheck(orderId, config.reconciliation().retryInterval());
    }

    /** A permanent business refusal (422): order-service stops asking. */
    static ProblemException closed(PaymentAttempt attempt) {
        return ProblemException.unprocessable("payment-closed", "The payment for this order is " + attempt.status()
                + "; no new payment can start");
    }

    static ProblemException providerHasTransaction() {
        return ProblemException.conflict("payment-in-progress",
                "The customer already chose a payment method at Midtrans; the result arrives by notification");
    }

    private static Instant earliest(Instant a, Instant b) {
        Instant now = Instant.now();
        Instant first = a.isBefore(b) ? a : b;
        return first.isBefore(now) ? now : first;
    }
}
