package dev.lunas.launcher.midtrans;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.http.Json;
import dev.lunas.launcher.testing.HttpReceiver;
import dev.lunas.launcher.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/** A simulator notifying a recording merchant endpoint, on a clock the test controls. */
final class SimulatorFixture implements AutoCloseable {

    private static final Http HTTP = new Http(Duration.ofSeconds(20));

    static final String SERVER_KEY = "SB-Mid-server-test-0123456789";
    static final String WEBHOOK = "/webhooks/midtrans";
    /** 10:00:00 WIB. */
    static final Instant START = Instant.parse("2026-11-21T03:00:00Z");
    static final Duration FAST_RETRY = Duration.ofMillis(20);

    final HttpReceiver merchant;
    final MutableClock clock = new MutableClock(START);
    final MidtransSimulator simulator;

    SimulatorFixture() {
        this(settings -> settings);
    }

    SimulatorFixture(UnaryOperator<SimulatorSettings.Builder> customize) {
        try {
            merchant = new HttpReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        simulator = MidtransSimulator.start(customize.apply(SimulatorSettings.builder(SERVER_KEY, merchant.url(WEBHOOK))
                        .retryDelays(Collections.nCopies(5, FAST_RETRY))
                        .notificationTimeout(Duration.ofSeconds(2))
                        .sweepInterval(Duration.ofHours(1))
                        .clock(clock))
                .build());
    }

    URI url(String path) {
        return simulator.baseUrl().resolve(path);
    }

    static String order(String orderId, long amount) {
        return """
                {"transaction_details":{"order_id":"%s","gross_amount":%d},
                 "item_details":[{"id":"ai-movie-course","price":%d,"quantity":1,"name":"Buat Film Pakai AI"}],
                 "customer_details":{"first_name":"Budi Santoso","email":"budi@example.com","phone":"+6281234567890"},
                 "callbacks":{"finish":"http://localhost:3000/thanks"}}
                """.formatted(orderId, amount, amount);
    }

    HttpResponse<String> snap(String body, String... headers) {
        String[] withAuth = new String[headers.length + 2];
        withAuth[0] = "Authorization";
        withAuth[1] = Http.basic(SERVER_KEY);
        System.arraycopy(headers, 0, withAuth, 2, headers.length);
        return HTTP.postJson(url("/snap/v1/transactions"), body, withAuth);
    }

    /** Creates a Snap transaction and returns its answer. */
    JsonNode checkout(String orderId, long amount) {
        HttpResponse<String> created = snap(order(orderId, amount));
        if (created.statusCode() != 201) {
            throw new AssertionError("Snap answered " + created.statusCode() + ": " + created.body());
        }
        return json(created.body());
    }

    HttpResponse<String> status(String id) {
        return HTTP.get(url("/v2/" + id + "/status"), "Authorization", Http.basic(SERVER_KEY));
    }

    List<JsonNode> notificationsReceived() {
        return merchant.received(WEBHOOK).stream().map(r -> json(r.body())).toList();
    }

    static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        simulator.close();
        merchant.close();
    }
}
