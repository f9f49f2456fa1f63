package dev.lunas.benchmark.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.benchmark.load.Call;
import dev.lunas.benchmark.load.Outcome;
import dev.lunas.launcher.http.Http;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Storefront checkouts ({@code POST /api/orders}) as a buyer sends them: a fresh Idempotency-Key and a different
 * buyer each time. An order that got its Snap token joins {@link #payable()}, where the webhook scenario finds
 * attempts to settle.
 */
final class Checkouts {

    static final String PAID_LATER = "201 without payment";
    static final String SOLD_OUT = "409 sold-out";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Http http;
    private final URI orders;
    private final Queue<String> payable;
    private final AtomicLong lastSaleNanos = new AtomicLong();
    private final AtomicLong buyers = new AtomicLong();

    Checkouts(Http http, URI orderService, Queue<String> payable) {
        this.http = http;
        this.orders = orderService.resolve("/api/orders");
        this.payable = payable;
    }

    Checkouts(Http http, URI orderService) {
        this(http, orderService, new ConcurrentLinkedQueue<>());
    }

    Queue<String> payable() {
        return payable;
    }

    /** When the last order (with or without its token) was answered, on the {@link System#nanoTime()} scale. */
    long lastSaleNanos() {
        return lastSaleNanos.get();
    }

    /** Checkouts of {@code packageId}; each success is an order with its payment token. */
    Call of(String packageId) {
        return sequence -> http.postJsonAsync(orders, body(packageId, buyers.incrementAndGet()),
                "Idempotency-Key", "bench-" + UUID.randomUUID()).thenApply(this::classify);
    }

    static String body(String packageId, long buyer) {
        return "{\"packageId\":\"" + packageId + "\",\"customer\":{\"name\":\"Pembeli " + buyer + "\","
                + "\"email\":\"buyer-" + buyer + "@bench.lunas.local\","
                + "\"phone\":\"0812" + String.format(Locale.ROOT, "%08d", buyer % 100_000_000) + "\"}}";
    }

    private Outcome classify(HttpResponse<String> answer) {
        if (answer.statusCode() == 201) {
            lastSaleNanos.accumulateAndGet(System.nanoTime(), Math::max);
            JsonNode order = read(answer.body());
            if (order.path("payment").path("token").isTextual()) {
                payable.add(order.path("orderId").asText());
                return Outcome.success("201");
            }
            return Outcome.other(PAID_LATER);
        }
        String type = read(answer.body()).path("type").asText("");
        String slug = type.substring(type.lastIndexOf('/') + 1);
        return Outcome.other(answer.statusCode() + (slug.isEmpty() ? "" : " " + slug));
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
