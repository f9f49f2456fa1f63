package dev.lunas.launcher.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP endpoint for the simulator to notify: it records every request and answers with scripted
 * statuses per path (200 once the script for a path is used up).
 */
public final class HttpReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    private record Answer(int status, String location) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();

    public HttpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url(String path) {
        return URI.create("http://localhost:" + server.getAddress().getPort() + path);
    }

    /** The next requests to {@code path} get these statuses, in order. */
    public void answer(String path, int... statuses) {
        Deque<Answer> script = scripts.computeIfAbsent(path, p -> new ArrayDeque<>());
        synchronized (script) {
            for (int status : statuses) {
                script.add(new Answer(status, null));
            }
        }
    }

    /** The next request to {@code path} is redirected to {@code location}. */
    public void redirect(String path, int status, String location) {
        Deque<Answer> script = scripts.computeIfAbsent(path, p -> new ArrayDeque<>());
        synchronized (script) {
            script.add(new Answer(status, location));
        }
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body));
            Answer answer = next(path);
            if (answer.location() != null) {
                exchange.getResponseHeaders().set("Location", answer.location());
            }
            exchange.sendResponseHeaders(answer.status(), -1);
        }
    }

    private Answer next(String path) {
        Deque<Answer> script = scripts.get(path);
        if (script == null) {
            return new Answer(200, null);
        }
        synchronized (script) {
            Answer answer = script.poll();
            return answer == null ? new Answer(200, null) : answer;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
