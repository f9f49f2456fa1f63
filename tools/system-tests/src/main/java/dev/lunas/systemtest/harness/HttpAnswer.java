package dev.lunas.systemtest.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.launcher.http.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** One HTTP answer of a service: status, headers and body, with the body readable as JSON. */
public record HttpAnswer(int status, HttpHeaders headers, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Http HTTP = new Http(Duration.ofSeconds(30));

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Not a JSON answer (HTTP " + status + "): " + body, e);
        }
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public boolean successful() {
        return status / 100 == 2;
    }

    static HttpAnswer get(URI uri, String... headers) {
        return of(HTTP.get(uri, headers));
    }

    static HttpAnswer post(URI uri, String contentType, String body, String... headers) {
        return of(HTTP.post(uri, contentType, body, headers));
    }

    private static HttpAnswer of(HttpResponse<String> response) {
        return new HttpAnswer(response.statusCode(), response.headers(), response.body());
    }
}
