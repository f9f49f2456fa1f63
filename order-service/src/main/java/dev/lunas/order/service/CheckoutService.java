package dev.lunas.order.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.logging.EventLog;
import dev.lunas.common.logging.Journal;
import dev.lunas.order.metrics.OrderMetrics;
import dev.lunas.order.model.CustomerOrder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * {@code POST /api/orders}: the idempotent checkout. Phase one creates the order (or answers from the
 * key), then payment-service is asked for a Snap token outside any transaction, then phase two stores
 * the token and the final answer. When payment-service cannot help, the order still exists and the key
 * stays resumable, so repeating the request later completes it.
 */
@ApplicationScoped
public class CheckoutService {

    private static final EventLog LOG = EventLog.of(CheckoutService.class, "checkout");

    private final CheckoutLedger ledger;
    private final PaymentGateway payments;
    private final OrderMetrics metrics;
    private final ObjectMapper json;

    public CheckoutService(CheckoutLedger ledger, PaymentGateway payments, OrderMetrics metrics, ObjectMapper json) {
        this.ledger = ledger;
        this.payments = payments;
        this.metrics = metrics;
        this.json = json;
    }

    public Uni<CheckoutAnswer> checkout(String idempotencyKey, CheckoutRequest request) {
        String key = IdempotencyKeys.parse(idempotencyKey);
        CheckoutCommand command = CheckoutCommand.of(request);
        String fingerprint = IdempotencyKeys.fingerprint(command, json);
        Journal journal = new Journal();
        return ledger.open(key, fingerprint, command, journal)
                .onFailure(DatabaseErrors::isRetryable).transform(failure -> CheckoutLedger.inFlight())
                .invoke(() -> journal.writeTo(LOG))
                .chain(opened -> {
                    if (opened instanceof CheckoutLedger.Answered answered) {
                        return Uni.createFrom().item(answered.answer());
                    }
                    if (opened instanceof CheckoutLedger.Created created) {
                        metrics.checkoutCreated();
                        return pay(key, created.order(), created.leaseOwner());
                    }
                    CheckoutLedger.Resumed resumed = (CheckoutLedger.Resumed) opened;
                    LOG.info("CHECKOUT_RESUMED", resumed.order().id(), "resuming the payment step");
                    return resumed.order().status().isOpen()
                            ? pay(key, resumed.order(), resumed.leaseOwner())
                            : ledger.finishWithOrder(key, resumed.order().id());
                });
    }

    private Uni<CheckoutAnswer> pay(String key, CustomerOrder order, UUID leaseOwner) {
        return payments.requestToken(order).chain(outcome -> {
            if (outcome instanceof PaymentGateway.Issued issued) {
                Journal journal = new Journal();
                return ledger.finishWithToken(key, order.id(), issued.token(), issued.redirectUrl(), journal)
                        .onFailure(DatabaseErrors::isRetryable).transform(failure -> CheckoutLedger.inFlight())
                        .invoke(() -> journal.writeTo(LOG));
            }
            if (outcome instanceof PaymentGateway.Unavailable unavailable) {
                return ledger.releaseLease(key, leaseOwner).map(ignored -> new CheckoutAnswer(201,
                        write(OrderView.of(order, unavailable.retryAfter())), order.id(), false, unavailable.retryAfter()));
            }
            // Refused for good: the payment already ended (its result is on its way), or it cannot be made at all (422).
            PaymentGateway.Refused refused = (PaymentGateway.Refused) outcome;
            return refused.paymentEnded()
                    ? ledger.finishWithOrder(key, order.id())
                    : ledger.finishWithRefusal(key, order.id(), refused.slug());
        });
    }

    private String write(OrderView view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise an order", e);
        }
    }
}
