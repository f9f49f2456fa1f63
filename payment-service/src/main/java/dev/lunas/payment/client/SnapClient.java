package dev.lunas.payment.client;

import dev.lunas.payment.config.PaymentConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Creates Snap transactions, guarded per docs/reliability.md §4.3: a 1.2 s timeout per attempt (the REST
 * client's read timeout sits just below it, so the socket really closes), one retry with jitter (safe:
 * Midtrans dedupes on our order_id), a breaker that Midtrans's business 4xx answers never trip, and a
 * bulkhead so a slow Midtrans cannot tie up more than 16 calls. A timeout means "unknown", not "failed".
 */
@ApplicationScoped
public class SnapClient {

    private final SnapApi api;
    private final String authorization;

    public SnapClient(@RestClient SnapApi api, PaymentConfig config) {
        this.api = api;
        this.authorization = MidtransAuthorization.basic(config.midtrans().serverKey().orElse(""));
    }

    @Retry(maxRetries = 1, delay = 150, jitter = 100, maxDuration = 2500,
            retryOn = {MidtransUnavailableException.class, TimeoutException.class},
            abortOn = {MidtransRejectedException.class, CircuitBreakerOpenException.class, BulkheadException.class})
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 30_000, successThreshold = 3,
            skipOn = MidtransRejectedException.class)
    @CircuitBreakerName("midtrans-snap")
    @Timeout(1200)
    @Bulkhead(16)
    public Uni<SnapToken> create(SnapTransaction transaction) {
        return api.create(authorization, transaction).onFailure().transform(MidtransUnavailableException::wrap);
    }
}
