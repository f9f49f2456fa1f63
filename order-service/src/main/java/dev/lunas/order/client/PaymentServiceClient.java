package dev.lunas.order.client;

import dev.lunas.common.http.Correlation;
import dev.lunas.order.config.OrderConfig;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
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
 * The expiry job's payment-status lookup ({@link #statuses}) has guards of its own, so neither call's
 * failures ever open the other's breaker.
 */
@ApplicationScoped
public class PaymentServiceClient {

    public static final String BREAKER = "payment-service";
    /** The expiry job's own breaker: its failures never count against checkout's {@link #BREAKER}. */
    public static final String STATUS_BREAKER = "payment-service-statuses";

    private final PaymentServiceApi rest;
    private final String authorization;

    public PaymentServiceClient(@RestClient PaymentServiceApi rest, OrderConfig config) {
        this.rest = rest;
        this.authorization = "Bearer " + config.paymentsToken().orElse("");
    }

    @AsynchronousNonBlocking
    @Timeout(3000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 15_000, successThreshold = 2,
            skipOn = {PaymentRefusedException.class, PaymentInProgressException.class,
                    PaymentServiceMisuseException.class})
    @CircuitBreakerName(BREAKER)
    @Bulkhead(value = 20, waitingTaskQueue = 20)
    public Uni<PaymentToken> requestToken(PaymentTokenRequest request) {
        return rest.requestToken(authorization, Correlation.currentId(), request)
                .invoke(PaymentServiceClient::requireUsable);
    }

    /**
     * The payment status of up to 100 orders, for the expiry job. Guarded apart from {@link #requestToken}
     * (own timeout and breaker), so an outage seen by the job never fails checkouts fast, nor the reverse.
     */
    @AsynchronousNonBlocking
    @Timeout(3000)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 30_000, successThreshold = 1)
    @CircuitBreakerName(STATUS_BREAKER)
    public Uni<PaymentStatuses> statuses(List<UUID> orderIds) {
        return rest.statuses(authorization, Correlation.currentId(), new PaymentStatuses.Query(orderIds))
                .invoke(PaymentServiceClient::requireUsable);
    }

    // A 200 without a list is a broken peer.
    private static void requireUsable(PaymentStatuses statuses) {
        if (statuses == null || statuses.payments() == null) {
            throw new PaymentServiceException("payment-service answered without statuses", null);
        }
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
