package dev.lunas.payment.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.payment.config.PaymentConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks Midtrans Get Status about an order. A read, so it may retry more than Snap (three times, with
 * exponential backoff and jitter) behind its own breaker. Answers the raw body, which carries its own
 * signature_key; "Transaction doesn't exist" (as HTTP 404, or as status_code "404" in a 200 body)
 * becomes {@link TransactionNotFoundException}.
 */
@ApplicationScoped
public class StatusClient {

    /** Same bound as a notification body. */
    static final int MAX_ANSWER = 64 * 1024;

    private final StatusApi api;
    private final ObjectMapper json;
    private final String authorization;

    public StatusClient(@RestClient StatusApi api, ObjectMapper json, PaymentConfig config) {
        this.api = api;
        this.json = json;
        this.authorization = MidtransAuthorization.basic(config.midtrans().serverKey().orElse(""));
    }

    @Retry(maxRetries = 3, delay = 200, jitter = 100, maxDuration = 10_000,
            retryOn = {MidtransUnavailableException.class, TimeoutException.class},
            abortOn = {MidtransRejectedException.class, TransactionNotFoundException.class, CircuitBreakerOpenException.class,
                BulkheadException.class})
    @ExponentialBackoff(factor = 2, maxDelay = 2_000)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 30_000, successThreshold = 2,
            skipOn = {MidtransRejectedException.class, TransactionNotFoundException.class})
    @CircuitBreakerName("midtrans-status")
    @Timeout(2000)
    @Bulkhead(8)
    public Uni<byte[]> status(String orderId) {
        return api.status(authorization, orderId)
                .onFailure().transform(MidtransUnavailableException::wrap)
                .map(this::answerOrThrow);
    }

    private byte[] answerOrThrow(String body) {
        if (body == null || body.length() > MAX_ANSWER) {
            // real answers are about a KiB; anything this large is not one and is never parsed
            throw new MidtransUnavailableException("Get Status answered " + (body == null ? "nothing" : "more than " + MAX_ANSWER + " characters"));
        }
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MidtransUnavailableException("Get Status answered something that is not JSON");
        }
        if (answer != null && answer.hasNonNull("transaction_status")) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        String code = answer == null ? "" : answer.path("status_code").asText("");
        if (code.equals("404")) {
            throw new TransactionNotFoundException(body);
        }
        if (code.startsWith("5")) {
            throw new MidtransUnavailableException("Get Status answered status_code " + code);
        }
        throw new MidtransRejectedException(code.isEmpty() ? 200 : parseOr(code, 200), body);
    }

    private static int parseOr(String code, int fallback) {
        try {
            return Integer.parseInt(code);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
