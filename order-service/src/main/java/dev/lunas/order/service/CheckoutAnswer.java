package dev.lunas.order.service;

import dev.lunas.common.problem.Problem;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.UUID;

/**
 * What a checkout answers, byte for byte: a stored answer is replayed with exactly this body.
 *
 * @param orderId    the order the answer is about (for the Location header), null for a refusal
 * @param replayed   true when the body is a stored answer to an earlier request with the same key
 * @param retryAfter when payment is not yet available, how long the client should wait before asking again
 */
public record CheckoutAnswer(int status, String body, UUID orderId, boolean replayed, Duration retryAfter) {

    public String mediaType() {
        return status >= 400 ? Problem.MEDIA_TYPE : MediaType.APPLICATION_JSON;
    }
}
