package dev.lunas.launcher.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.http.LocalHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy's routing and retry rules, over real HTTP to real servers standing in for a service's instances. */
class RoundRobinProxyTest {

    private static final Duration PROBE_PERIOD = Duration.ofMillis(50);

    private final Http http = new Http(Duration.ofSeconds(10));
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** An instance: answers its name and the body it got; its readiness answers what {@code readiness} holds. */
    private final class Instance {
        final String name;
        final AtomicInteger readiness = new AtomicInteger(200);
        final List<String> received = new CopyOnWriteArrayList<>();
        volatile boolean cutAfterReading;
        final LocalHttpServer server;

        Instance(String name) {
            this.name = name;
            this.server = LocalHttpServer.start(name, 0, this::handle);
            opened.add(server);
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.port());
        }

        private void handle(HttpExchange exchange) throws IOException {
            if (exchange.getRequestURI().getPath().equals("/q/health/ready")) {
                exchange.sendResponseHeaders(readiness.get(), -1);
                exchange.close();
                return;
            }
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body + " "
                    + exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            if (cutAfterReading) {
                // the request arrived and may have been acted on: the connection dies without an answer
                exchange.close();
                return;
            }
            byte[] answer = name.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Instance", name);
            exchange.sendResponseHeaders(201, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private RoundRobinProxy proxy() {
        RoundRobinProxy proxy = RoundRobinProxy.start("test", 0, PROBE_PERIOD, events::add);
        opened.add(proxy);
        return proxy;
    }

    private HttpResponse<String> post(RoundRobinProxy proxy, String body) {
        return http.postJson(proxy.uri().resolve("/orders?x=1"), body, "Idempotency-Key", "k-" + body);
    }

    @Test
    void readyInstancesTakeRequestsInTurnWithMethodPathQueryHeadersAndBodyIntact() {
        RoundRobinProxy proxy = proxy();
        Instance a = new Instance("a");
        Instance b = new Instance("b");
        proxy.add(a.uri());
        proxy.add(b.uri());
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.ready().size() == 2);

        List<String> answeredBy = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> answer = post(proxy, "{\"n\":" + i + "}");
            assertThat(answer.statusCode()).isEqualTo(201);
            assertThat(answer.headers().firstValue("X-Instance")).contains(answer.body());
            answeredBy.add(answer.body());
        }

        assertThat(answeredBy).containsOnly("a", "b");
        for (int i = 1; i < answeredBy.size(); i++) {
            assertThat(answeredBy.get(i)).as("alternates").isNotEqualTo(answeredBy.get(i - 1));
        }
        assertThat(a.received).hasSize(3).allMatch(line -> line.matches("POST /orders\\?x=1 \\{\"n\":\\d} k-\\{\"n\":\\d}"));
        assertThat(proxy.failures()).isEmpty();
        assertThat(proxy.answers()).hasSize(6);
    }

    @Test
    void anInstanceWhoseReadinessFailsGetsNoRequestsUntilItIsReadyAgain() {
        RoundRobinProxy proxy = proxy();
        Instance a = new Instance("a");
        Instance b = new Instance("b");
        proxy.add(a.uri());
        proxy.add(b.uri());
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.ready().size() == 2);

        b.readiness.set(503);
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.ready().equals(List.of(a.uri())));
        for (int i = 0; i < 4; i++) {
            assertThat(post(proxy, "{}").body()).isEqualTo("a");
        }
        assertThat(b.received).isEmpty();

        b.readiness.set(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.ready().size() == 2);
        List<String> answeredBy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answeredBy.add(post(proxy, "{}").body());
        }
        assertThat(answeredBy).contains("a", "b");
    }

    @Test
    void aRefusedConnectionIsTriedOnTheNextInstanceNotCountedAsFailedAndTheRefusingOneLeavesTheRotation() {
        // probed once: b stops listening and the proxy learns it only from the refused request
        RoundRobinProxy proxy = RoundRobinProxy.start("test", 0, Duration.ofHours(1), events::add);
        opened.add(proxy);
        Instance a = new Instance("a");
        Instance b = new Instance("b");
        proxy.add(a.uri());
        proxy.add(b.uri());
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.ready().size() == 2);

        b.server.close();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(post(proxy, "{}").statusCode());
        }

        assertThat(statuses).containsOnly(201);
        assertThat(a.received).hasSize(4);
        assertThat(proxy.answers()).allMatch(answer -> !answer.failed());
        assertThat(proxy.answers().stream().mapToInt(RoundRobinProxy.Answer::refusedBefore).sum()).isEqualTo(1);
        assertThat(proxy.ready()).containsExactly(a.uri());
    }

    @Test
    void aRequestThatFailedAfterItWasSentIsNotRepeatedAndCountsAsFailed() {
        RoundRobinProxy proxy = RoundRobinProxy.start("test", 0, Duration.ofHours(1), events::add);
        opened.add(proxy);
        Instance a = new Instance("a");
        a.cutAfterReading = true;
        proxy.add(a.uri());
        Instance b = new Instance("b");
        proxy.add(b.uri());
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.ready().size() == 2);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            statuses.add(post(proxy, "{}").statusCode());
        }

        assertThat(statuses).containsExactlyInAnyOrder(201, 502);
        assertThat(a.received).hasSize(1);
        assertThat(b.received).hasSize(1);
        assertThat(proxy.failures()).singleElement().satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.instance()).contains(a.uri());
        });
    }

    @Test
    void withNoInstanceReadyTheClientGets503WithoutRetryAfterWhichCountsAsFailed() {
        RoundRobinProxy proxy = proxy();
        Instance a = new Instance("a");
        a.readiness.set(503);
        proxy.add(a.uri());

        HttpResponse<String> answer = post(proxy, "{}");

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).isEmpty();
        assertThat(a.received).isEmpty();
        assertThat(proxy.failures()).hasSize(1);
    }

    @Test
    void onlyA5xxWithoutRetryAfterIsAFailure() {
        assertThat(answer(503, true).failed()).isFalse();
        assertThat(answer(503, false).failed()).isTrue();
        assertThat(answer(500, true).failed()).isTrue();
        assertThat(answer(502, false).failed()).isTrue();
        assertThat(answer(409, false).failed()).isFalse();
        assertThat(answer(201, false).failed()).isFalse();
    }

    private static RoundRobinProxy.Answer answer(int status, boolean retryAfter) {
        return new RoundRobinProxy.Answer(java.time.Instant.now(), "POST", "/x", status, retryAfter,
                java.util.Optional.empty(), 0, java.util.Optional.empty());
    }
}
