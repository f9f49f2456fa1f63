package dev.lunas.order.client;

import dev.lunas.common.http.Correlation;
import dev.lunas.order.config.OrderConfig;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks payment-service for a Snap token, guarded so a slow or failing payment-service cannot hold up or
 * exhaust checkout: a timeout per call (the REST client's own connect/read timeouts close the socket just
 * before it), a circuit breaker that fails fast while payment-service is down, and a bulkhead. There is
 * no retry here: checkout answers at once that payment is not yet available, and the client (or "pay
 * again") asks later, which payment-service makes safe by returning the same token for the same order.
 * The values below are overridden per environment under quarkus.fault-tolerance."…/requestToken".*.
 */
@ApplicationScoped
public class PaymentServiceClient {

    public static final String BREAKER = "payment-service";

    private final PaymentServiceRestClient rest;
    private final String authorization;

    public PaymentServiceClient(@RestClient PaymentServiceRestClient rest, OrderConfig config) {
        this.rest = rest;
        this.authorization = "Bearer " + config.paymentsToken();
    }

    @AsynchronousNonBlocking
    @Timeout(3000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 15_000, successThreshold = 2,
            skipOn = PaymentClosedException.class)
    @CircuitBreakerName(BREAKER)
    @Bulkhead(value = 20, waitingTaskQueue = 20)
    public Uni<PaymentToken> requestToken(PaymentTokenRequest request) {
        return rest.requestToken(authorization, Correlation.currentId(), request)
                .invoke(PaymentServiceClient::requireUsable);
    }

    // A 200 without a usable token is a broken peer: it must count against the breaker like a 5xx.
    private static void requireUsable(PaymentToken token) {
        if (token == null || isBlank(token.token()) || isBlank(token.redirectUrl())) {
            throw new PaymentServiceException("payment-service answered without a token", null);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
