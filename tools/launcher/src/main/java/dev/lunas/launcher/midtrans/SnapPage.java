package dev.lunas.launcher.midtrans;

import static dev.lunas.launcher.http.Html.escape;

import dev.lunas.launcher.http.Html;
import dev.lunas.launcher.http.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The page behind a Snap {@code redirect_url}: where a person plays the customer and decides what happens
 * to the payment. Amounts are shown as Indonesian rupiah ("Rp 99.000"), times in WIB like Midtrans's pages.
 */
final class SnapPage {

    private static final Locale INDONESIA = Locale.forLanguageTag("id-ID");

    private SnapPage() {
    }

    static String render(Transaction.View view) {
        SnapOrder order = view.order();
        StringBuilder body = new StringBuilder();
        body.append("<p class=\"muted\">Midtrans Snap · sandbox simulator of the Lunas local run</p>");
        body.append("<h1>Order ").append(escape(view.orderId())).append("</h1>");
        body.append("<div class=\"box\"><table>");
        for (SnapOrder.Item item : order.items()) {
            body.append("<tr><td>").append(escape(item.name())).append(" × ").append(item.quantity())
                    .append("</td><td>").append(rupiah(item.price() * item.quantity())).append("</td></tr>");
        }
        body.append("<tr><th>Total</th><th>").append(rupiah(order.grossAmount())).append("</th></tr></table>");
        String customer = order.customer().fullName();
        if (!customer.isEmpty()) {
            body.append("<p class=\"muted\">For ").append(escape(customer)).append("</p>");
        }
        body.append("</div>");
        body.append(switch (view.stage()) {
            case AWAITING_CHOICE -> "<p>Choose what the customer does. This page is valid until "
                    + wib(view.pageExpiresAt()) + ".</p>"
                    + choices(true);
            case PENDING -> "<p>Waiting for a transfer of <strong>" + rupiah(order.grossAmount())
                    + "</strong> to BCA virtual account <strong>" + escape(view.vaNumber()) + "</strong> until "
                    + wib(view.paymentExpiresAt()) + ".</p>" + choices(false);
            case SETTLEMENT -> outcome("Payment received. Thank you!", view);
            case DENY -> outcome("The payment was denied.", view);
            case EXPIRE -> outcome("The payment expired before the transfer arrived.", view);
            case PAGE_EXPIRED -> "<p>This payment page has expired. Ask the shop for a new payment link.</p>";
        });
        body.append("<p class=\"muted\">Notifications go to the shop's notification URL. Everything the simulator did: "
                + "<a href=\"/simulator/ledger\">/simulator/ledger</a></p>");
        return Html.page("Pay order " + view.orderId(), body.toString());
    }

    static String replaced() {
        return Html.page("Payment link replaced", "<h1>This payment link is no longer valid</h1>"
                + "<p>The shop asked for a new payment page for this order; use the newest link.</p>");
    }

    static String unknown() {
        return Html.page("Unknown payment link", "<h1>Unknown payment link</h1>"
                + "<p>No Snap transaction has this token.</p>");
    }

    private static String choices(boolean methodStillOpen) {
        StringBuilder form = new StringBuilder("<form method=\"post\">");
        form.append("<button class=\"primary\" name=\"action\" value=\"pay\">")
                .append(methodStillOpen ? "Pay now (BCA virtual account)" : "Make the transfer").append("</button>");
        if (methodStillOpen) {
            form.append("<button name=\"action\" value=\"choose\">Choose BCA virtual account, pay later</button>");
        }
        form.append("<button name=\"action\" value=\"deny\">Payment fails (denied)</button>");
        form.append("<button name=\"action\" value=\"expire\">Let it expire</button>");
        return form.append("</form>").toString();
    }

    private static String outcome(String message, Transaction.View view) {
        String result = "<p><strong>" + escape(message) + "</strong></p>" + resultForPopup(view);
        String finish = view.order().finishUrl();
        if (finish == null || !(finish.startsWith("http://") || finish.startsWith("https://"))) {
            return result;
        }
        String link = finish + (finish.contains("?") ? "&" : "?")
                + "order_id=" + URLEncoder.encode(view.orderId(), StandardCharsets.UTF_8)
                + "&status_code=" + view.stage().statusCode
                + "&transaction_status=" + view.stage().status;
        return result + "<p><a target=\"_top\" href=\"" + escape(link) + "\">Back to the shop</a></p>";
    }

    /**
     * When the page is Snap's popup (framed by snap.js on the shop's page), the result Snap hands to the shop's
     * callbacks, posted to snap.js, which closes the popup and calls onSuccess, onPending or onError.
     */
    private static String resultForPopup(Transaction.View view) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status_code", view.stage().statusCode);
        result.put("status_message", "Success, transaction is found");
        result.put("order_id", view.orderId());
        result.put("gross_amount", view.order().grossAmount() + ".00");
        result.put("payment_type", "bank_transfer");
        result.put("transaction_status", view.stage().status);
        result.put("finish_redirect_url", view.order().finishUrl());
        String message = Json.write(Map.of("source", "midtrans-simulator", "result", result)).replace("</", "<\\/");
        return "<script>if (window.parent !== window) { window.parent.postMessage(" + message + ", \"*\"); }</script>";
    }

    static String rupiah(long amount) {
        return "Rp " + String.format(INDONESIA, "%,d", amount);
    }

    private static String wib(java.time.Instant instant) {
        return instant == null ? "" : Transaction.MIDTRANS_TIME.format(instant) + " WIB";
    }
}
