package dev.lunas.launcher.fault;

import com.sun.net.httpserver.HttpExchange;
import dev.lunas.launcher.http.LocalHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An HTTP load balancer on a loopback port in front of a service's instances, as a Kubernetes Service with
 * readiness probes (plus an ingress's retry of refused connections) is in front of a Deployment's pods:
 * <ul>
 *   <li>each request goes to the next instance in rotation (round robin);</li>
 *   <li>an instance is in rotation while its {@code /q/health/ready} answers 200: it leaves at once when the probe
 *       answers anything else or its connection is refused, and after {@value #TIMEOUTS_TO_LEAVE} probe timeouts in a
 *       row (a busy instance is not a stopping one); it comes back at its next 200;</li>
 *   <li>a request whose connection to an instance cannot be made (refused, or the connect timed out) was never
 *       sent, so it is tried on the next instance; the instance leaves the rotation;</li>
 *   <li>a request that failed after it was sent is not repeated (it may have been acted on): the client gets 502;</li>
 *   <li>with no instance in rotation the client gets 503 without {@code Retry-After}.</li>
 * </ul>
 * Every answer is recorded ({@link #answers()}), with whether a client would count it as failed ({@link
 * Answer#failed()}).
 */
public final class RoundRobinProxy implements AutoCloseable {

    /** Probe timeouts in a row after which an instance leaves the rotation. */
    public static final int TIMEOUTS_TO_LEAVE = 3;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Hop-by-hop headers and those the JDK client sets itself: neither forwarded nor answered. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "date", "expect", "from",
            "host", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "via", "warning");

    /**
     * One answer the proxy gave a client.
     *
     * @param instance      the instance that answered (empty when none did)
     * @param refusedBefore instances tried first whose connection could not be made
     * @param retryAfter    whether the answer carried {@code Retry-After}
     * @param error         why the proxy answered itself (502, 503), empty when an instance answered
     */
    public record Answer(Instant at, String method, String path, int status, boolean retryAfter, Optional<URI> instance,
                         int refusedBefore, Optional<String> error) {

        /**
         * The rule of a rolling deploy (docs/reliability.md §8, T10): an answer failed when a client would not simply
         * retry it: any 5xx except 503 with {@code Retry-After}. A refused connection never reaches the client (it is
         * retried on another instance), so it is not a failure.
         */
        public boolean failed() {
            return status >= 500 && !(status == 503 && retryAfter);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s %s → %d%s%s%s", at, method, path, status,
                    retryAfter ? " (Retry-After)" : "", instance.map(uri -> " from " + uri).orElse(""),
                    error.map(e -> ": " + e).orElse(""));
        }
    }

    private static final class Instance {
        final URI uri;
        volatile boolean ready;
        int timeouts;
        ScheduledFuture<?> probe;

        Instance(URI uri) {
            this.uri = uri;
        }
    }

    private final String name;
    private final Consumer<String> events;
    private final Duration probePeriod;
    private final LocalHttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<URI, Instance> instances = new ConcurrentHashMap<>();
    private final ScheduledExecutorService prober;
    private final AtomicInteger next = new AtomicInteger();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

    private RoundRobinProxy(String name, int port, Duration probePeriod, Consumer<String> events) {
        this.name = name;
        this.events = events;
        this.probePeriod = probePeriod;
        this.prober = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, name + "-readiness");
            thread.setDaemon(true);
            return thread;
        });
        this.server = LocalHttpServer.start(name + " proxy", port, this::forward);
    }

    /**
     * A proxy on loopback port {@code port} (0: a free one) with no instance yet.
     *
     * @param probePeriod how often each instance's readiness is asked
     */
    public static RoundRobinProxy start(String name, int port, Duration probePeriod, Consumer<String> events) {
        return new RoundRobinProxy(name, port, probePeriod, events);
    }

    public int port() {
        return server.port();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Starts probing an instance; it takes requests from its first ready answer on. */
    public void add(URI instance) {
        Instance added = new Instance(instance);
        if (instances.putIfAbsent(instance, added) == null) {
            added.probe = prober.scheduleWithFixedDelay(() -> probe(added), 0, probePeriod.toMillis(), TimeUnit.MILLISECONDS);
            events.accept(name + " proxy: probing " + instance);
        }
    }

    /** Forgets an instance: no more requests, no more probes. */
    public void remove(URI instance) {
        Instance removed = instances.remove(instance);
        if (removed != null) {
            removed.probe.cancel(false);
            events.accept(name + " proxy: removed " + instance);
        }
    }

    /** The instances now in rotation. */
    public List<URI> ready() {
        return instances.values().stream().filter(instance -> instance.ready).map(instance -> instance.uri).toList();
    }

    /** Every answer given so far, in the order they were given. */
    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    private void probe(Instance instance) {
        String outcome;
        boolean ready;
        try {
            HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(instance.uri.resolve("/q/health/ready"))
                    .timeout(PROBE_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
            ready = answer.statusCode() == 200;
            outcome = "readiness " + answer.statusCode();
            instance.timeouts = 0;
        } catch (HttpTimeoutException e) {
            instance.timeouts++;
            ready = instance.ready && instance.timeouts < TIMEOUTS_TO_LEAVE;
            outcome = instance.timeouts + " readiness timeouts in a row";
        } catch (IOException e) {
            ready = false;
            outcome = "readiness not answered (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        setReady(instance, ready, outcome);
    }

    private void setReady(Instance instance, boolean ready, String why) {
        if (instance.ready != ready && instances.get(instance.uri) == instance) {
            instance.ready = ready;
            events.accept(name + " proxy: " + instance.uri + (ready ? " in rotation (" : " out of rotation (") + why + ")");
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI requested = exchange.getRequestURI();
            String pathAndQuery = requested.getRawPath() + (requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES);
            }
            List<Instance> rotation = instances.values().stream().filter(instance -> instance.ready).toList();
            int refused = 0;
            int start = Math.floorMod(next.getAndIncrement(), Math.max(1, rotation.size()));
            for (int i = 0; i < rotation.size(); i++) {
                Instance instance = rotation.get((start + i) % rotation.size());
                HttpResponse<byte[]> response;
                try {
                    response = client.send(request(exchange, instance.uri.resolve(pathAndQuery), method, body),
                            HttpResponse.BodyHandlers.ofByteArray());
                } catch (ConnectException | HttpConnectTimeoutException e) {
                    // nothing was sent: the next instance may take it, this one is out until its probe says ready
                    refused++;
                    setReady(instance, false, "connection not made: " + e.getClass().getSimpleName());
                    continue;
                } catch (IOException e) {
                    answer(exchange, new Answer(Instant.now(), method, requested.getRawPath(), 502, false,
                            Optional.of(instance.uri), refused, Optional.of("failed after sending: " + e)));
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                relay(exchange, response, new Answer(Instant.now(), method, requested.getRawPath(), response.statusCode(),
                        response.headers().firstValue("Retry-After").isPresent(), Optional.of(instance.uri), refused,
                        Optional.empty()));
                return;
            }
            answer(exchange, new Answer(Instant.now(), method, requested.getRawPath(), 503, false, Optional.empty(), refused,
                    Optional.of(rotation.isEmpty() ? "no instance ready" : "no instance took the connection")));
        }
    }

    private static HttpRequest request(HttpExchange exchange, URI target, String method, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((header, values) -> {
            if (!NOT_FORWARDED.contains(header.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(header, value));
            }
        });
        return request.build();
    }

    private void relay(HttpExchange exchange, HttpResponse<byte[]> response, Answer answer) throws IOException {
        answers.add(answer);
        response.headers().map().forEach((header, values) -> {
            if (!NOT_FORWARDED.contains(header.toLowerCase(Locale.ROOT)) && !header.startsWith(":")) {
                exchange.getResponseHeaders().put(header, values);
            }
        });
        byte[] body = response.body();
        boolean empty = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void answer(HttpExchange exchange, Answer answer) throws IOException {
        answers.add(answer);
        events.accept(name + " proxy: " + answer);
        byte[] body = (answer.error().orElse("") + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(answer.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The answers a client would count as failed. */
    public List<Answer> failures() {
        List<Answer> failed = new ArrayList<>();
        answers.forEach(answer -> {
            if (answer.failed()) {
                failed.add(answer);
            }
        });
        return failed;
    }

    @Override
    public void close() {
        prober.shutdownNow();
        server.close();
    }
}
