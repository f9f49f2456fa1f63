package dev.lunas.order.service;

import dev.lunas.common.event.Customer;
import dev.lunas.common.logging.EventLog;
import dev.lunas.order.client.PaymentInProgressException;
import dev.lunas.order.client.PaymentRefusedException;
import dev.lunas.order.client.PaymentServiceClient;
import dev.lunas.order.client.PaymentServiceException;
import dev.lunas.order.client.PaymentServiceMisuseException;
import dev.lunas.order.client.PaymentStatuses;
import dev.lunas.order.client.PaymentTokenRequest;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.model.CustomerOrder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Turns the payment-service call into the three answers checkout acts on; it never fails. Invariant: only
 * {@link Refused} is final; {@link Unavailable} (an outage, a payment being created right now, an
 * unexpected answer) always leaves the order payable and the checkout resumable.
 */
@ApplicationScoped
public class PaymentGateway {

    private static final EventLog LOG = EventLog.of(PaymentGateway.class, "payment-client");

    /** What payment-service said. */
    public sealed interface Outcome permits Issued, Unavailable, Refused {
    }

    public record Issued(String token, String redirectUrl) implements Outcome {
    }

    /** No token now (down, slow, breaker open, or the payment is being created); the order stays payable. */
    public record Unavailable(Duration retryAfter) implements Outcome {
    }

    /**
     * payment-service refused for good: the payment ended ({@code payment-closed}), or this order cannot be
     * paid as it is ({@code payment-conflict}, {@code payment-rejected}). No new token.
     */
    public record Refused(String slug, boolean paymentEnded) implements Outcome {
    }

    private final PaymentServiceClient client;
    private final OrderConfig config;

    public PaymentGateway(PaymentServiceClient client, OrderConfig config) {
        this.client = client;
        this.config = config;
    }

    public Uni<Outcome> requestToken(CustomerOrder order) {
        PaymentTokenRequest request = new PaymentTokenRequest(order.id(), order.amount(), order.currency(),
                order.expiresAt(), new PaymentTokenRequest.Item(order.packageId(), order.packageName()),
                new Customer(order.customerName(), order.customerEmail(), order.customerPhone()));
        return client.requestToken(request)
                .map(token -> (Outcome) new Issued(token.token(), token.redirectUrl()))
                .onFailure(PaymentRefusedException.class).recoverWithItem(failure -> {
                    PaymentRefusedException refused = (PaymentRefusedException) failure;
                    LOG.warn("PAYMENT_REFUSED", order.id(), "%s", refused.getMessage());
                    return new Refused(refused.slug(), refused.paymentEnded());
                })
                .onFailure(PaymentInProgressException.class).recoverWithItem(failure -> {
                    LOG.info("PAYMENT_IN_PROGRESS", order.id(), "payment-service is creating this payment; ask again shortly");
                    return new Unavailable(((PaymentInProgressException) failure).retryAfter()
                            .orElse(config.checkout().paymentRetryAfter()));
                })
                .onFailure(PaymentServiceMisuseException.class).recoverWithItem(failure -> {
                    LOG.error("PAYMENT_SERVICE_MISUSED", order.id(), "unexpected answer to a token request: %s",
                            failure.getMessage());
                    return new Unavailable(config.checkout().paymentRetryAfter());
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warn("PAYMENT_UNAVAILABLE", order.id(), "no payment token: %s", describe(failure));
                    return new Unavailable(retryAfter(failure));
                });
    }

    /**
     * payment-service's payment status per order, for the orders that have an attempt (others are absent).
     * Fails when payment-service cannot answer; guarded apart from token requests.
     */
    public Uni<Map<UUID, String>> paymentStatuses(List<UUID> orderIds) {
        return client.statuses(orderIds).map(answer -> {
            Map<UUID, String> statuses = new HashMap<>();
            for (PaymentStatuses.Entry entry : answer.payments()) {
                if (entry != null && entry.orderId() != null && entry.status() != null) {
                    statuses.put(entry.orderId(), entry.status());
                }
            }
            return statuses;
        });
    }

    private Duration retryAfter(Throwable failure) {
        if (failure instanceof PaymentServiceException unavailable) {
            return unavailable.retryAfter().orElse(config.checkout().paymentRetryAfter());
        }
        return config.checkout().paymentRetryAfter();
    }

    private static String describe(Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException) {
            return "circuit breaker open";
        }
        if (failure instanceof TimeoutException || failure instanceof java.util.concurrent.TimeoutException) {
            return "timed out";
        }
        if (failure instanceof BulkheadException) {
            return "too many calls in flight";
        }
        if (failure instanceof PaymentServiceException) {
            return failure.getMessage();
        }
        return failure.getClass().getSimpleName();
    }
}
