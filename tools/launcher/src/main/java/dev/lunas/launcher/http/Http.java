package dev.lunas.launcher.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * The tooling's HTTP client for calls to the services and the stand-ins, from tests, the fault suite and the
 * benchmark's load generator (the JDK's client, redirects not followed). Headers are given as name, value pairs, so
 * each call presents exactly the credentials its caller means to.
 */
public final class Http {

    private final HttpClient client;
    private final Duration timeout;

    /** @param timeout how long one request may take before it fails (counts as a timeout) */
    public Http(Duration timeout) {
        this(timeout, HttpClient.newBuilder());
    }

    private Http(Duration timeout, HttpClient.Builder client) {
        this.client = client.connectTimeout(Duration.ofSeconds(5)).build();
        this.timeout = timeout;
    }

    /** A client for load: plain HTTP/1.1 keep-alive connections, opened as the load needs them, no upgrade tried. */
    public static Http forLoad(Duration timeout) {
        return new Http(timeout, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1));
    }

    /** {@code Authorization: Bearer <token>} as a header pair; none when the token is null. */
    public static String[] bearer(String token) {
        return token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
    }

    /** The HTTP Basic credential Midtrans expects: the server key as user name, no password. */
    public static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(URI uri, String... headers) {
        return send(HttpRequest.newBuilder(uri).GET(), headers);
    }

    /** POST of {@code body} (null: none) as {@code contentType} (null: no such header). */
    public HttpResponse<String> post(URI uri, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, headers);
    }

    public HttpResponse<String> postJson(URI uri, String json, String... headers) {
        return post(uri, "application/json", json, headers);
    }

    public HttpResponse<String> postForm(URI uri, String form, String... headers) {
        return post(uri, "application/x-www-form-urlencoded", form, headers);
    }

    /**
     * Sends a request built by the caller (its method and body), with these headers and this client's timeout.
     *
     * @throws UncheckedIOException when no answer came (refused, cut, timed out)
     */
    public HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        HttpRequest built = build(request, headers);
        try {
            return client.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during an HTTP call", e);
        }
    }

    /** A JSON POST that does not wait: for load, where the answer is timed when it completes. */
    public CompletableFuture<HttpResponse<String>> postJsonAsync(URI uri, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return client.sendAsync(build(request, headers), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest build(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.timeout(timeout).build();
    }
}
