package dev.lunas.order.service;

import dev.lunas.common.event.Customer;
import dev.lunas.common.logging.EventLog;
import dev.lunas.order.client.PaymentClosedException;
import dev.lunas.order.client.PaymentServiceClient;
import dev.lunas.order.client.PaymentServiceException;
import dev.lunas.order.client.PaymentTokenRequest;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.entity.CustomerOrder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/** Turns the payment-service call into the three answers checkout acts on; it never fails. */
@ApplicationScoped
public class PaymentGateway {

    private static final EventLog LOG = EventLog.of(PaymentGateway.class, "payment-client");

    /** What payment-service said. */
    public sealed interface Outcome permits Issued, Unavailable, Closed {
    }

    public record Issued(String token, String redirectUrl) implements Outcome {
    }

    /** No token now (down, slow, breaker open); the order stays payable. */
    public record Unavailable(Duration retryAfter) implements Outcome {
    }

    /** The payment already ended on payment-service's side: no new token. */
    public record Closed() implements Outcome {
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
                .onFailure(PaymentClosedException.class).recoverWithItem(closed -> {
                    LOG.warn("PAYMENT_CLOSED", order.id(), "payment-service refused a new token: %s", closed.getMessage());
                    return new Closed();
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warn("PAYMENT_UNAVAILABLE", order.id(), "no payment token: %s", describe(failure));
                    return new Unavailable(retryAfter(failure));
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
