package dev.lunas.payment.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.payment.client.StatusClient;
import dev.lunas.payment.client.TransactionNotFoundException;
import dev.lunas.payment.config.PaymentConfig;
import dev.lunas.payment.model.EventSource;
import dev.lunas.payment.metrics.PaymentMetrics;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Asks Midtrans Get Status what became of a payment and feeds the answer through the same path as a
 * webhook (source RECONCILIATION; its signature_key is verified too). Used by the scheduled job for
 * attempts due a check, by the admin API for one order, and right after a webhook reported a late
 * settlement that needs confirming.
 */
@ApplicationScoped
public class ReconciliationService {

    private static final EventLog LOG = EventLog.of(ReconciliationService.class, "payment-reconciliation");

    /** Totals of one scheduled run. */
    public record Run(int checked, int failed) {
    }

    private final PaymentAttemptService attempts;
    private final PaymentEventService events;
    private final StatusClient status;
    private final MidtransFactVerifier verifier;
    private final CommittedEffects effects;
    private final PaymentMetrics metrics;
    private final PaymentConfig config;
    private final Vertx vertx;
    /** Orders whose claims are being confirmed right now; true when another question must follow. */
    private final Map<UUID, Boolean> confirming = new ConcurrentHashMap<>();

    public ReconciliationService(PaymentAttemptService attempts, PaymentEventService events, StatusClient status,
                                 MidtransFactVerifier verifier, CommittedEffects effects, PaymentMetrics metrics,
                                 PaymentConfig config, Vertx vertx) {
        this.attempts = attempts;
        this.events = events;
        this.status = status;
        this.verifier = verifier;
        this.effects = effects;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
    }

    /** One check of one order. 404 problem for an order without attempt; 503 when Midtrans cannot be asked. */
    public Uni<Reconciled> reconcile(UUID orderId) {
        Executor caller = VertxContexts.current();
        return attempts.find(orderId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("payment-not-found", "No payment for this order"))
                // claims recorded up to here existed before the question: only those may the answer resolve
                .chain(attempt -> events.horizon())
                .chain(horizon -> status.status(orderId.toString())
                        .emitOn(caller)
                        .map(answer -> verified(orderId, answer))
                        .chain(fact -> effects.report(journal -> events.record(fact, EventSource.RECONCILIATION, horizon, journal))
                                .onFailure(AmountMismatchException.class).call(mismatch -> recordMismatch(fact)))
                        .onFailure(TransactionNotFoundException.class).recoverWithUni(notFound -> effects.report(journal ->
                                events.recordNotFound(orderId, ((TransactionNotFoundException) notFound).body(), horizon, journal)))
                        .onFailure(failure -> !(failure instanceof ProblemException problem) || problem.problem().status() >= 500)
                        .recoverWithUni(failure -> checkFailed(orderId, failure, caller)))
                .invoke(recorded -> {
                    if (recorded.confirm()) {
                        // deferred claims became claims while this answer applied: they need an answer of their own
                        confirmInBackground(orderId);
                    }
                })
                .map(recorded -> new Reconciled(orderId, recorded.statusAfter(), recorded.transactionStatus(), recorded.answer()))
                .invoke(result -> LOG.info("RECONCILIATION_CHECKED", orderId, "Get Status: %s; payment %s (%s)",
                        result.providerStatus(), result.status(), result.outcome()));
    }

    /** Get Status reports another amount: counted, and recorded with its alert once (the answer stays a 422). */
    private Uni<Recorded> recordMismatch(MidtransFact fact) {
        metrics.amountMismatch();
        return effects.report(journal -> events.recordMismatch(fact, EventSource.RECONCILIATION, journal));
    }

    /** The scheduled run: claims the attempts due a check (replica safe) and checks them one after another. */
    public Uni<Run> reconcileDue() {
        return attempts.claimDue()
                .chain(due -> checkAll(due))
                .invoke(run -> LOG.info("RECONCILIATION_RUN", null, "Reconciliation checked %d payment(s), %d could not be checked",
                        run.checked(), run.failed()));
    }

    /**
     * Asks Get Status about the claims a webhook recorded after it has been answered, on a context of its
     * own (the request's ends with the response). If this fails, the scheduled run tries again.
     */
    public void confirmInBackground(UUID orderId) {
        if (confirming.putIfAbsent(orderId, Boolean.FALSE) != null) {
            // one question per order at a time, so replayed claims cannot multiply Get Status calls; the
            // running one is followed by one more, which sees the claims recorded meanwhile
            confirming.put(orderId, Boolean.TRUE);
            return;
        }
        ask(orderId);
    }

    private void ask(UUID orderId) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> reconcile(orderId).onTermination().invoke(() -> asked(orderId)).subscribe().with(
                reconciled -> { },
                failure -> LOG.warn("RECONCILIATION_DEFERRED", orderId,
                        "Claim not confirmed yet (%s); the scheduled reconciliation retries", failure.getMessage())));
    }

    private void asked(UUID orderId) {
        if (!confirming.remove(orderId, Boolean.FALSE)) {
            confirming.put(orderId, Boolean.FALSE);
            ask(orderId);
        }
    }

    private Uni<Run> checkAll(List<UUID> due) {
        return Multi.createFrom().iterable(due)
                .onItem().transformToUniAndConcatenate(orderId -> reconcile(orderId)
                        .map(reconciled -> true)
                        .onFailure().recoverWithItem(false))
                .collect().asList()
                .map(results -> new Run((int) results.stream().filter(ok -> ok).count(),
                        (int) results.stream().filter(ok -> !ok).count()));
    }

    /** A Get Status answer that cannot be trusted: wrong signature, wrong order, or not a status at all. */
    static final class UnverifiableAnswerException extends RuntimeException {
        UnverifiableAnswerException(String message) {
            super(message, null, false, false);
        }
    }

    /** Midtrans's answer is only used when it is what we asked about and its signature holds. */
    private MidtransFact verified(UUID orderId, byte[] answer) {
        try {
            MidtransFact fact = verifier.verify(answer);
            if (!fact.orderId().equals(orderId.toString())) {
                throw new UnverifiableAnswerException("Get Status answered about order " + fact.orderId());
            }
            return fact;
        } catch (ProblemException e) {
            throw new UnverifiableAnswerException("Get Status answer failed verification: " + e.problem().detail());
        }
    }

    private Uni<Recorded> checkFailed(UUID orderId, Throwable failure, Executor caller) {
        if (failure instanceof UnverifiableAnswerException) {
            LOG.critical("RECONCILIATION_REJECTED", orderId, "%s; nothing applied", failure.getMessage());
        } else {
            LOG.warn("RECONCILIATION_FAILED", orderId, "Get Status unavailable: %s: %s",
                    failure.getClass().getSimpleName(), failure.getMessage());
        }
        return Uni.createFrom().voidItem().emitOn(caller)
                .chain(() -> attempts.retryCheckLater(orderId))
                .onFailure().recoverWithNull()
                .chain(() -> Uni.createFrom().failure(ProblemException.unavailable("payment-provider-unavailable",
                        "Midtrans could not be asked about this payment; reconciliation will retry",
                        config.reconciliation().retryInterval())));
    }
}
