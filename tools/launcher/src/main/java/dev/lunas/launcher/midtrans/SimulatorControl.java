package dev.lunas.launcher.midtrans;

import static dev.lunas.launcher.midtrans.MidtransApi.SNAP_PAGE_PATH;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.http.Exchange;
import dev.lunas.launcher.http.Html;
import dev.lunas.launcher.http.Json;
import dev.lunas.launcher.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The parts of the simulator for people and scripts: the Snap payment page behind each {@code redirect_url},
 * an overview page, and the JSON control API under {@code /simulator} (decide payments, resend notifications,
 * simulate outages, read the ledger).
 */
final class SimulatorControl {

    private final MidtransSimulator simulator;

    SimulatorControl(MidtransSimulator simulator) {
        this.simulator = simulator;
    }

    void addTo(Router router) {
        router.get("/snap/snap\\.js", this::snapJs)
                .get(SNAP_PAGE_PATH + "([A-Za-z0-9-]+)", this::showPage)
                .post(SNAP_PAGE_PATH + "([A-Za-z0-9-]+)", this::actOnPage)
                .get("/", this::index)
                .get("/simulator/ledger", this::showLedger)
                .get("/simulator/transactions/([^/]+)", this::showTransaction)
                .post("/simulator/transactions/([^/]+)/(pending|settle|deny|expire)", this::decide)
                .post("/simulator/transactions/([^/]+)/notify", this::resend)
                .put("/simulator/failures/(snap|status)", this::fail)
                .delete("/simulator/failures/(snap|status)", this::recover)
                .post("/simulator/reset", exchange -> {
                    simulator.reset();
                    exchange.json(200, Map.of("reset", true));
                });
    }

    private void showPage(Exchange exchange) throws IOException {
        String token = exchange.pathParam(1);
        Optional<Transaction> transaction = simulator.byToken(token);
        if (transaction.isEmpty()) {
            exchange.html(404, SnapPage.unknown());
        } else if (!token.equals(transaction.get().token())) {
            exchange.html(410, SnapPage.replaced());
        } else {
            exchange.html(200, SnapPage.render(transaction.get().view()));
        }
    }

    /** Snap's snap.js: {@code window.snap.pay(token, callbacks)} opens the payment page in a popup (resources/…/snap.js). */
    private void snapJs(Exchange exchange) throws IOException {
        try (InputStream in = SimulatorControl.class.getResourceAsStream("snap.js")) {
            if (in == null) {
                throw new IllegalStateException("snap.js is missing from the launcher's jar");
            }
            exchange.send(200, "text/javascript; charset=utf-8", in.readAllBytes());
        }
    }

    private void actOnPage(Exchange exchange) throws IOException {
        String token = exchange.pathParam(1);
        Optional<Transaction> transaction = simulator.byToken(token).filter(t -> token.equals(t.token()));
        if (transaction.isEmpty()) {
            showPage(exchange);
            return;
        }
        MidtransSimulator.Outcome outcome = switch (exchange.form().getOrDefault("action", "")) {
            case "pay" -> MidtransSimulator.Outcome.SETTLEMENT;
            case "choose" -> MidtransSimulator.Outcome.PENDING;
            case "deny" -> MidtransSimulator.Outcome.DENY;
            case "expire" -> MidtransSimulator.Outcome.EXPIRE;
            default -> null;
        };
        if (outcome == null) {
            exchange.html(400, Html.page("Unknown choice", "<p>Choose one of the buttons on the payment page.</p>"));
            return;
        }
        try {
            simulator.decide(transaction.get().orderId(), outcome);
        } catch (IllegalStateException e) {
            exchange.html(409, Html.page("Payment already decided", "<p>" + Html.escape(e.getMessage())
                    + "</p><p><a href=\"" + SNAP_PAGE_PATH + Html.escape(token) + "\">Back to the payment page</a></p>"));
            return;
        }
        exchange.seeOther(SNAP_PAGE_PATH + token);
    }

    private void index(Exchange exchange) throws IOException {
        StringBuilder body = new StringBuilder("<h1>Midtrans sandbox simulator</h1>");
        body.append("<p class=\"muted\">Snap: POST /snap/v1/transactions · Get Status: GET /v2/{order_id}/status · "
                + "<a href=\"/simulator/ledger\">ledger (JSON)</a></p><table><tr><th>Order</th><th>Amount</th><th>Status</th>"
                + "<th>Notifications</th></tr>");
        List<LedgerEntry> newestFirst = new ArrayList<>(simulator.ledger());
        Collections.reverse(newestFirst);
        for (LedgerEntry entry : newestFirst) {
            String token = simulator.currentToken(entry.orderId()).orElse(null);
            body.append("<tr><td>").append(token == null ? Html.escape(entry.orderId())
                            : "<a href=\"" + SNAP_PAGE_PATH + Html.escape(token) + "\">" + Html.escape(entry.orderId()) + "</a>")
                    .append("</td><td>").append(SnapPage.rupiah(entry.grossAmount()))
                    .append("</td><td>").append(Html.escape(entry.status()))
                    .append("</td><td>").append(entry.notifications().size()).append("</td></tr>");
        }
        exchange.html(200, Html.page("Midtrans simulator", body.append("</table>").toString()));
    }

    private void showLedger(Exchange exchange) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transactions", simulator.ledger());
        body.put("failures", simulator.activeFailures());
        exchange.json(200, body);
    }

    private void showTransaction(Exchange exchange) throws IOException {
        Optional<LedgerEntry> entry = simulator.transaction(exchange.pathParam(1));
        if (entry.isEmpty()) {
            exchange.json(404, Map.of("error", "Snap has no transaction for order " + exchange.pathParam(1)));
        } else {
            exchange.json(200, entry.get());
        }
    }

    private void decide(Exchange exchange) throws IOException {
        MidtransSimulator.Outcome outcome = switch (exchange.pathParam(2)) {
            case "pending" -> MidtransSimulator.Outcome.PENDING;
            case "settle" -> MidtransSimulator.Outcome.SETTLEMENT;
            case "deny" -> MidtransSimulator.Outcome.DENY;
            default -> MidtransSimulator.Outcome.EXPIRE;
        };
        controlled(exchange, () -> simulator.decide(exchange.pathParam(1), outcome));
    }

    private void resend(Exchange exchange) throws IOException {
        String copies = exchange.query().getOrDefault("copies", "1");
        controlled(exchange, () -> simulator.resend(exchange.pathParam(1), parseCount(copies, "copies")));
    }

    private void fail(Exchange exchange) throws IOException {
        MidtransSimulator.Api api = MidtransSimulator.Api.valueOf(exchange.pathParam(1).toUpperCase(Locale.ROOT));
        Optional<ObjectNode> body = Json.parseObject(exchange.body());
        controlled(exchange, () -> {
            JsonNode request = body.orElseThrow(() -> new IllegalArgumentException(
                    "send {\"mode\":\"error\",\"status\":503} or {\"mode\":\"hang\",\"millis\":5000}, optionally with \"times\""));
            int times = request.has("times") ? parseCount(request.path("times").asText(), "times") : 0;
            switch (request.path("mode").asText()) {
                case "error" -> simulator.fail(api, request.path("status").asInt(503), times);
                case "hang" -> simulator.hang(api, Duration.ofMillis(request.path("millis").asLong(0)), times);
                default -> throw new IllegalArgumentException("mode must be \"error\" or \"hang\"");
            }
            return simulator.activeFailures();
        });
    }

    private void recover(Exchange exchange) throws IOException {
        simulator.recover(MidtransSimulator.Api.valueOf(exchange.pathParam(1).toUpperCase(Locale.ROOT)));
        exchange.json(200, simulator.activeFailures());
    }

    private interface ControlAction {
        Object run();
    }

    private static void controlled(Exchange exchange, ControlAction action) throws IOException {
        try {
            exchange.json(200, action.run());
        } catch (NoSuchElementException e) {
            exchange.json(404, Map.of("error", e.getMessage()));
        } catch (IllegalStateException e) {
            exchange.json(409, Map.of("error", e.getMessage()));
        } catch (IllegalArgumentException e) {
            exchange.json(400, Map.of("error", e.getMessage()));
        }
    }

    private static int parseCount(String text, String name) {
        try {
            int count = Integer.parseInt(text.trim());
            if (count >= 1) {
                return count;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(name + " must be a positive whole number");
    }
}
