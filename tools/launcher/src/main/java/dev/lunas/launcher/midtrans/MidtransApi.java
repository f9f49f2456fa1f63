package dev.lunas.launcher.midtrans;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.http.Exchange;
import dev.lunas.launcher.http.Json;
import dev.lunas.launcher.http.Router;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The part of the simulator the services call, answering as Midtrans answers (docs/midtrans.md §e): Snap
 * {@code POST /snap/v1/transactions} and Core API {@code GET /v2/{order_id|transaction_id}/status}, both with
 * Basic auth by server key, with Midtrans's error bodies.
 */
final class MidtransApi {

    static final String SNAP_PAGE_PATH = "/snap/v2/vtweb/";
    static final String ORDER_ID_TAKEN = "transaction_details.order_id sudah digunakan";
    private static final String ACCESS_DENIED = "Access denied due to unauthorized transaction, please check client or server key";
    private static final String ACCESS_DENIED_HINT = "Visit https://snap-docs.midtrans.com/#request-headers for more details";
    private static final String INTERNAL_ERROR = "Sorry, we encountered internal server error. We will fix this soon.";
    private static final String STATUS_UNAUTHORIZED = "Transaction cannot be authorized with the current client/server key.";
    private static final String STATUS_NOT_FOUND = "Transaction doesn't exist.";
    private static final int MAX_NOTIFICATION_URLS = 3;

    private final MidtransSimulator simulator;
    private final SimulatorSettings settings;

    MidtransApi(MidtransSimulator simulator, SimulatorSettings settings) {
        this.simulator = simulator;
        this.settings = settings;
    }

    void addTo(Router router) {
        router.post("/snap/v1/transactions", this::createTransaction)
                .get("/v2/([^/]+)/status", this::status);
    }

    /** Answers what no route answered, in the format of the API the path belongs to; false for other paths. */
    static boolean refuse(Exchange exchange, int status, String reason) throws IOException {
        if (exchange.path().startsWith("/snap/")) {
            snapErrors(exchange, status, List.of(reason));
            return true;
        }
        if (exchange.path().startsWith("/v2/")) {
            statusError(exchange, status, reason);
            return true;
        }
        return false;
    }

    private void createTransaction(Exchange exchange) throws IOException {
        if (simulatedFailure(MidtransSimulator.Api.SNAP, exchange)) {
            return;
        }
        if (!authorized(exchange)) {
            snapErrors(exchange, 401, List.of(ACCESS_DENIED, ACCESS_DENIED_HINT));
            return;
        }
        Optional<ObjectNode> body = Json.parseObject(exchange.body());
        if (body.isEmpty()) {
            snapErrors(exchange, 400, List.of("The request body must be a JSON object"));
            return;
        }
        SnapOrder.Parsed parsed = SnapOrder.parse(body.get());
        if (!parsed.errors().isEmpty()) {
            snapErrors(exchange, 400, parsed.errors());
            return;
        }
        List<URI> urls;
        try {
            urls = notificationUrls(exchange);
        } catch (IllegalArgumentException e) {
            snapErrors(exchange, 400, List.of(e.getMessage()));
            return;
        }
        Optional<String> token = simulator.issueToken(parsed.order(), body.get(), urls);
        if (token.isEmpty()) {
            snapErrors(exchange, 400, List.of(ORDER_ID_TAKEN));
            return;
        }
        Map<String, String> created = new LinkedHashMap<>();
        created.put("token", token.get());
        created.put("redirect_url", simulator.baseUrl() + SNAP_PAGE_PATH + token.get());
        exchange.json(201, created);
    }

    /** X-Override-Notification replaces the configured URL, X-Append-Notification adds to it (docs/midtrans.md §a). */
    private List<URI> notificationUrls(Exchange exchange) {
        String override = exchange.header("X-Override-Notification");
        String append = exchange.header("X-Append-Notification");
        List<URI> urls = new ArrayList<>();
        if (override != null) {
            urls.addAll(parseUrls("X-Override-Notification", override));
        } else {
            if (settings.notificationUrl != null) {
                urls.add(settings.notificationUrl);
            }
            if (append != null) {
                urls.addAll(parseUrls("X-Append-Notification", append));
            }
        }
        return urls;
    }

    private static List<URI> parseUrls(String header, String value) {
        List<URI> urls = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                URI url = URI.create(part.trim());
                if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                    throw new IllegalArgumentException();
                }
                urls.add(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(header + " must list absolute http(s) URLs separated by commas");
            }
        }
        if (urls.size() > MAX_NOTIFICATION_URLS) {
            throw new IllegalArgumentException(header + " may list at most " + MAX_NOTIFICATION_URLS + " URLs");
        }
        return urls;
    }

    private void status(Exchange exchange) throws IOException {
        if (simulatedFailure(MidtransSimulator.Api.STATUS, exchange)) {
            return;
        }
        if (!authorized(exchange)) {
            statusError(exchange, 401, STATUS_UNAUTHORIZED);
            return;
        }
        Optional<Transaction> transaction = simulator.byOrderOrTransactionId(exchange.pathParam(1));
        if (transaction.isEmpty() || !transaction.get().stage().existsAtMidtrans()) {
            statusError(exchange, 404, STATUS_NOT_FOUND);
            return;
        }
        exchange.json(200, transaction.get().statusBody("Success, transaction is found", settings.merchantId, settings.serverKey));
    }

    /** Basic auth with the server key as user name and an empty password (docs/midtrans.md §e). */
    private boolean authorized(Exchange exchange) {
        String header = exchange.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = credentials.indexOf(':');
        String key = colon < 0 ? credentials : credentials.substring(0, colon);
        return MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), settings.serverKey.getBytes(StandardCharsets.UTF_8));
    }

    /** Applies an active simulated failure: true when the request was answered with it. */
    private boolean simulatedFailure(MidtransSimulator.Api api, Exchange exchange) throws IOException {
        Optional<SimulatedFailure> failure = simulator.claimFailure(api);
        if (failure.isEmpty()) {
            return false;
        }
        if (failure.get().hold() != null) {
            failure.get().holdRequest();
            return false;
        }
        if (api == MidtransSimulator.Api.SNAP) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error_messages", List.of(INTERNAL_ERROR));
            body.put("locale", "en");
            exchange.json(failure.get().status(), body);
        } else {
            statusError(exchange, failure.get().status(), INTERNAL_ERROR);
        }
        return true;
    }

    private static void snapErrors(Exchange exchange, int status, List<String> messages) throws IOException {
        exchange.json(status, Map.of("error_messages", messages));
    }

    private static void statusError(Exchange exchange, int status, String message) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status_code", String.valueOf(status));
        body.put("status_message", message);
        body.put("id", UUID.randomUUID().toString());
        exchange.json(status, body);
    }
}
