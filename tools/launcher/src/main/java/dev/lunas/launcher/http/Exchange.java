package dev.lunas.launcher.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;

/** One HTTP request and its answer, as the routes of the launcher's small servers see them. */
public final class Exchange {

    /** Bodies of every endpoint here are a few KiB; anything larger is refused before it is read. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final HttpExchange raw;
    private final Matcher path;

    Exchange(HttpExchange raw, Matcher path) {
        this.raw = raw;
        this.path = path;
    }

    public String method() {
        return raw.getRequestMethod();
    }

    /** The raw (still percent-encoded) request path. */
    public String path() {
        return raw.getRequestURI().getRawPath();
    }

    /** The decoded value of a capture group of the route's path pattern. */
    public String pathParam(int group) {
        return URLDecoder.decode(path.group(group), StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return raw.getRequestHeaders().getFirst(name);
    }

    public Map<String, String> query() {
        return parseForm(raw.getRequestURI().getRawQuery());
    }

    /** The request body, or {@link BodyTooLargeException} beyond {@link #MAX_BODY_BYTES}. */
    public byte[] body() throws IOException {
        try (InputStream in = raw.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new BodyTooLargeException();
            }
            return body;
        }
    }

    /** An {@code application/x-www-form-urlencoded} body as name → value (the last of repeated names wins). */
    public Map<String, String> form() throws IOException {
        return parseForm(new String(body(), StandardCharsets.UTF_8));
    }

    public void json(int status, Object body) throws IOException {
        send(status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    public void html(int status, String page) throws IOException {
        send(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    public void text(int status, String text) throws IOException {
        send(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** 303: the browser follows with a GET, so reloading the result page never repeats the POST. */
    public void seeOther(String location) throws IOException {
        raw.getResponseHeaders().set("Location", location);
        raw.sendResponseHeaders(303, -1);
    }

    /** A header of the answer, set before it is sent; a {@code Cache-Control} set here replaces the default no-store. */
    public Exchange responseHeader(String name, String value) {
        raw.getResponseHeaders().set(name, value);
        return this;
    }

    public void send(int status, String contentType, byte[] body) throws IOException {
        raw.getResponseHeaders().set("Content-Type", contentType);
        if (!raw.getResponseHeaders().containsKey("Cache-Control")) {
            raw.getResponseHeaders().set("Cache-Control", "no-store");
        }
        raw.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = raw.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static Map<String, String> parseForm(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            values.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return values;
    }

    /** The client sent more than {@link #MAX_BODY_BYTES}. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("Request body larger than " + MAX_BODY_BYTES + " bytes");
        }
    }
}
