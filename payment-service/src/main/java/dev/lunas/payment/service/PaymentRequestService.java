package dev.lunas.payment.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.common.logging.Masking;
import dev.lunas.common.problem.Problem;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.payment.client.MidtransRejectedException;
import dev.lunas.payment.client.SnapClient;
import dev.lunas.payment.client.SnapTransaction;
import dev.lunas.payment.config.PaymentConfig;
import dev.lunas.payment.model.PaymentAttempt;
import dev.lunas.payment.model.PaymentStatus;
import dev.lunas.payment.metrics.PaymentMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Gets a Snap token for an order with recovery points: the attempt commits first, Snap is called
 * outside any transaction, the token is stored in a second transaction. Every retry of the request is
 * safe because the Midtrans order_id is the order id: Midtrans itself refuses a second transaction.
 */
@ApplicationScoped
public class PaymentRequestService {

    private static final EventLog LOG = EventLog.of(PaymentRequestService.class, "payment-snap");
    private static final DateTimeFormatter SNAP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx")
            .withZone(MidtransFact.WIB);
    private static final int MAX_ITEM_NAME = 50;

    private final PaymentAttemptService attempts;
    private final ReconciliationService reconciliation;
    private final SnapClient snap;
    private final PaymentMetrics metrics;
    private final PaymentConfig config;

    public PaymentRequestService(PaymentAttemptService attempts, ReconciliationService reconciliation,
                                 SnapClient snap, PaymentMetrics metrics, PaymentConfig config) {
        this.attempts = attempts;
        this.reconciliation = reconciliation;
        this.snap = snap;
        this.metrics = metrics;
        this.config = config;
    }

    public Uni<PaymentView> request(PaymentRequest request) {
        Executor caller = VertxContexts.current();
        return attempts.begin(request)
                .invoke(start -> {
                    if (start.created()) {
                        metrics.attemptCreated();
                        LOG.info("PAYMENT_ATTEMPT_CREATED", request.orderId(), "Payment attempt created for %d %s, customer %s",
                                request.amount(), request.currency(), Masking.email(request.customer().email()));
                    }
                })
                .chain(start -> start.callSnap()
                        ? createSnapTransaction(request, start.attempt(), caller)
                        : Uni.createFrom().item(view(start.attempt())));
    }

    private Uni<PaymentView> createSnapTransaction(PaymentRequest request, PaymentAttempt attempt, Executor caller) {
        UUID orderId = attempt.orderId();
        return snap.create(snapTransaction(request, attempt))
                .emitOn(caller)
                .chain(token -> attempts.storeToken(attempt, token.token(), token.redirectUrl()))
                .invoke(stored -> LOG.info("SNAP_TOKEN_ISSUED", orderId, "Snap token issued"))
                .map(this::view)
                .onFailure(MidtransRejectedException.class).recoverWithUni(failure -> refused(orderId, (MidtransRejectedException) failure, caller))
                .onFailure(failure -> !(failure instanceof ProblemException)).recoverWithUni(failure -> unavailable(orderId, failure));
    }

    /** Midtrans said no. "order_id already used" is an answer, not an error: Midtrans holds the transaction. */
    private Uni<PaymentView> refused(UUID orderId, MidtransRejectedException rejection, Executor caller) {
        if (rejection.orderIdAlreadyUsed()) {
            LOG.warn("SNAP_ORDER_ID_USED", orderId, "Snap says the order_id is already used; asking Get Status");
            return reconciliation.reconcile(orderId)
                    .emitOn(caller)
                    .chain(reconciled -> {
                        if (reconciled.providerStatus().equals(Reconciled.NOT_FOUND)) {
                            return Uni.createFrom().<PaymentAttempt>failure(new IllegalStateException(
                                    "Snap says the order_id is used but Get Status does not know it"));
                        }
                        return attempts.markProviderTransaction(orderId);
                    })
                    .<PaymentView>map(attempt -> {
                        if (attempt.status() != PaymentStatus.PENDING) {
                            throw PaymentAttemptService.closed(attempt);
                        }
                        throw PaymentAttemptService.providerHasTransaction();
                    })
                    .onFailure(failure -> !isConflict(failure)).recoverWithUni(failure -> unavailable(orderId, failure));
        }
        LOG.error("SNAP_REFUSED", orderId, "Snap refused the transaction with HTTP %d: %s", rejection.status(), rejection.body());
        String because = "HTTP " + rejection.status() + " " + rejection.body();
        Uni<Void> release = attempts.releaseSnapLease(orderId, because);
        if (rejection.status() == 401 || rejection.status() == 403) {
            // our server key is wrong: an outage to fix, not the order's fault
            return release.chain(() -> Uni.createFrom().failure(providerUnavailable()));
        }
        return release.chain(() -> Uni.createFrom().failure(new ProblemException(Problem.of(422, "payment-rejected",
                "Payment rejected", "Midtrans refused the transaction: " + rejection.body()))));
    }

    /** Down, slow or breaker open: the outcome of the call is unknown; reconciliation learns the truth. */
    private Uni<PaymentView> unavailable(UUID orderId, Throwable failure) {
        String reason = failure instanceof CircuitBreakerOpenException
                ? "circuit breaker open"
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        LOG.warn("SNAP_UNAVAILABLE", orderId, "Snap unavailable (%s); the order stays payable", reason);
        return attempts.releaseSnapLease(orderId, reason)
                .onFailure().recoverWithNull()
                .chain(() -> Uni.createFrom().failure(providerUnavailable()));
    }

    /** An answer for the caller (payment-in-progress 409, payment-closed 422), not an outage. */
    private static boolean isConflict(Throwable failure) {
        return failure instanceof ProblemException problem && (problem.problem().type().endsWith("/payment-in-progress")
                || problem.problem().type().endsWith("/payment-closed"));
    }

    private ProblemException providerUnavailable() {
        return ProblemException.unavailable("payment-provider-unavailable",
                "The payment provider is not reachable right now; the order stays payable, ask again later",
                config.snap().unavailableRetryAfter());
    }

    private SnapTransaction snapTransaction(PaymentRequest request, PaymentAttempt attempt) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // whole minutes, rounded down: the token must not outlive the order
        long minutes = Duration.between(start, attempt.expiresAt()).toMinutes();
        String itemName = request.item().name().length() > MAX_ITEM_NAME
                ? request.item().name().substring(0, MAX_ITEM_NAME)
                : request.item().name();
        return new SnapTransaction(
                new SnapTransaction.TransactionDetails(attempt.orderId().toString(), attempt.amount()),
                List.of(new SnapTransaction.Item(request.item().id(), attempt.amount(), 1, itemName)),
                new SnapTransaction.CustomerDetails(request.customer().name(), request.customer().email(),
                        request.customer().phone()),
                new SnapTransaction.Expiry(SNAP_TIME.format(start), "minutes", Math.max(1, minutes)),
                new SnapTransaction.Callbacks(config.snap().finishUrl()));
    }

    private PaymentView view(PaymentAttempt attempt) {
        return new PaymentView(attempt.orderId(), attempt.status().name(), attempt.snapToken(), attempt.redirectUrl(),
                attempt.expiresAt(), config.midtrans().clientKey().orElse(null));
    }
}
