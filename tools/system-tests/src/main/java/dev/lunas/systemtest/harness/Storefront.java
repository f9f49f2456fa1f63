package dev.lunas.systemtest.harness;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP calls the shop's web front makes to order-service, and the one the course platform makes
 * (entitlements, with its entitlements token). Answers are returned as they come, errors included.
 */
public final class Storefront {

    private final URI orderService;
    private final String entitlementsToken;

    Storefront(URI orderService, String entitlementsToken) {
        this.orderService = orderService;
        this.entitlementsToken = entitlementsToken;
    }

    public HttpAnswer packages() {
        return HttpAnswer.get(orderService.resolve("/api/packages"));
    }

    /** {@code POST /api/orders} with the given JSON body under the given {@code Idempotency-Key} and correlation id. */
    public HttpAnswer checkout(String idempotencyKey, String correlationId, String jsonBody) {
        return HttpAnswer.post(orderService.resolve("/api/orders"), "application/json", jsonBody,
                "Idempotency-Key", idempotencyKey, "X-Correlation-Id", correlationId);
    }

    /** {@code POST /api/orders} as a client that forgot the {@code Idempotency-Key} sends it. */
    public HttpAnswer checkoutWithoutKey(String correlationId, String jsonBody) {
        return HttpAnswer.post(orderService.resolve("/api/orders"), "application/json", jsonBody,
                "X-Correlation-Id", correlationId);
    }

    public HttpAnswer order(String orderId) {
        return HttpAnswer.get(orderService.resolve("/api/orders/" + orderId));
    }

    /** "Pay again": the order with its Snap payment. */
    public HttpAnswer pay(String orderId) {
        return HttpAnswer.post(orderService.resolve("/api/orders/" + orderId + "/pay"), null, null);
    }

    /** What the course platform asks, with its entitlements token. */
    public HttpAnswer entitlements(String email) {
        return HttpAnswer.get(entitlementsUri(email), "Authorization", "Bearer " + entitlementsToken);
    }

    /** The same question without any token, as a stranger would ask it. */
    public HttpAnswer entitlementsWithoutToken(String email) {
        return HttpAnswer.get(entitlementsUri(email));
    }

    private URI entitlementsUri(String email) {
        return orderService.resolve("/api/entitlements?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8));
    }

    /** What the customer's browser gets when it follows the payment link: 200 while the link is Snap's current one. */
    public HttpAnswer openPaymentPage(String redirectUrl) {
        return HttpAnswer.get(URI.create(redirectUrl));
    }

    /**
     * What the customer does on the Snap payment page behind {@code redirectUrl}: presses "pay" (or another
     * of the page's buttons: {@code choose}, {@code deny}, {@code expire}).
     */
    public HttpAnswer pressOnPaymentPage(String redirectUrl, String action) {
        return HttpAnswer.post(URI.create(redirectUrl), "application/x-www-form-urlencoded",
                "action=" + URLEncoder.encode(action, StandardCharsets.UTF_8));
    }
}
