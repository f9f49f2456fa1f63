package dev.lunas.order.resource;

import dev.lunas.common.problem.Problem;
import dev.lunas.common.ratelimit.RateLimiter;
import dev.lunas.order.service.CheckoutAnswer;
import dev.lunas.order.service.CheckoutRequest;
import dev.lunas.order.service.CheckoutService;
import dev.lunas.order.service.OrderService;
import dev.lunas.order.service.OrderView;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/orders")
@Tag(name = "Orders", description = "Checkout, the order's status for the thank-you page, and paying again")
public class OrderResource {

    static final String REPLAYED = "Idempotent-Replayed";
    /** The problem schema of META-INF/openapi.yaml, which also holds the examples and shared answers named here. */
    static final String PROBLEM = "Problem";

    private final CheckoutService checkout;
    private final OrderService orders;
    private final RateLimiter rateLimits;

    public OrderResource(CheckoutService checkout, OrderService orders, RateLimiter rateLimits) {
        this.checkout = checkout;
        this.orders = orders;
        this.rateLimits = rateLimits;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createCheckout", summary = "Check out a package",
            description = "Creates an order at the server-computed price and asks for a Midtrans Snap payment. "
                    + "Repeat a request with the same Idempotency-Key and body to get the same answer "
                    + "(Idempotent-Replayed: true); never reuse a key for another order. When payment cannot be "
                    + "prepared right now the order is still created: the answer has payment = null, "
                    + "paymentRetryAfterSeconds and a Retry-After header; repeat the request, or call "
                    + "POST /api/orders/{orderId}/pay, after that time.")
    @SecurityRequirements
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, required = true,
            description = "One per checkout attempt, kept across retries and page reloads: 16 to 255 printable ASCII "
                    + "characters (a UUID is recommended), bare or as a quoted string",
            schema = @Schema(type = SchemaType.STRING, minLength = 16, maxLength = 255),
            example = "0d9c6a47-3c4e-4b8f-9b55-3f6f0d7a1e21")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CheckoutRequest.class),
            examples = @ExampleObject(name = "checkout", ref = "checkoutRequest")))
    @APIResponse(responseCode = "201", description = "The order (a replay: the first answer, with Idempotent-Replayed)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrderView.class),
                    examples = {@ExampleObject(name = "pending-payment", ref = "orderPendingPayment"),
                        @ExampleObject(name = "without-payment", ref = "orderWithoutPayment")}),
            headers = {
                @Header(name = HttpHeaders.LOCATION, ref = "Location"),
                @Header(name = REPLAYED, ref = "IdempotentReplayed"),
                @Header(name = HttpHeaders.RETRY_AFTER, ref = "RetryAfter")})
    @APIResponse(responseCode = "400", description = "Invalid fields (validation-failed, with errors[] per field), a body "
            + "that is not JSON of this shape (malformed-body), or a missing or malformed Idempotency-Key. Nothing was "
            + "written; correct the request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = PROBLEM),
                    examples = {@ExampleObject(name = "validation-failed", ref = "validationFailed"),
                        @ExampleObject(name = "malformed-body", ref = "malformedBody"),
                        @ExampleObject(name = "idempotency-key-missing", ref = "idempotencyKeyMissing"),
                        @ExampleObject(name = "idempotency-key-invalid", ref = "idempotencyKeyInvalid")}))
    @APIResponse(responseCode = "409", description = "Final for this key, stored and replayed: sold-out, "
            + "discount-code-exhausted, discount-code-already-used. Not final: idempotency-key-in-use, the first "
            + "request with this key is still running (Retry-After; repeat it unchanged)",
            headers = {
                @Header(name = HttpHeaders.RETRY_AFTER, ref = "RetryAfter"),
                @Header(name = REPLAYED, ref = "IdempotentReplayed")},
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = PROBLEM),
                    examples = {@ExampleObject(name = "sold-out", ref = "soldOut"),
                        @ExampleObject(name = "discount-code-exhausted", ref = "discountCodeExhausted"),
                        @ExampleObject(name = "discount-code-already-used", ref = "discountCodeAlreadyUsed"),
                        @ExampleObject(name = "idempotency-key-in-use", ref = "idempotencyKeyInUse")}))
    @APIResponse(responseCode = "422", description = "Unknown package or discount code, code not valid now or not for "
            + "this package, the Idempotency-Key was used for a different request (nothing written), or the payment "
            + "provider refused the payment for good (payment-rejected, payment-conflict: the answer stored under this "
            + "key; check out again with a new key)",
            headers = @Header(name = REPLAYED, ref = "IdempotentReplayed"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = PROBLEM),
                    examples = {@ExampleObject(name = "unknown-package", ref = "unknownPackage"),
                        @ExampleObject(name = "unknown-discount-code", ref = "unknownDiscountCode"),
                        @ExampleObject(name = "discount-code-not-active", ref = "discountCodeNotActive"),
                        @ExampleObject(name = "discount-code-not-applicable", ref = "discountCodeNotApplicable"),
                        @ExampleObject(name = "idempotency-key-reused", ref = "idempotencyKeyReused"),
                        @ExampleObject(name = "payment-rejected", ref = "paymentRejectedAtCheckout"),
                        @ExampleObject(name = "payment-conflict", ref = "paymentConflictAtCheckout")}))
    @APIResponse(responseCode = "429", description = "Too many checkouts from this address or for this email; nothing "
            + "was written (repeat after Retry-After seconds, with the same Idempotency-Key)",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, ref = "RetryAfter"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = PROBLEM),
                    examples = @ExampleObject(name = "too-many-requests", ref = "tooManyRequests")))
    @APIResponse(responseCode = "4XX", ref = "ClientError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    public Uni<Response> checkout(@HeaderParam("Idempotency-Key") String idempotencyKey,
                                  @NotNull @Valid CheckoutRequest request) {
        // per customer email, once the body is valid (per address is counted by common's RateLimitFilter)
        return rateLimits.enforce("checkout-email", request.customer().email().trim().toLowerCase(Locale.ROOT))
                .chain(() -> checkout.checkout(idempotencyKey, request)).map(OrderResource::respond);
    }

    @GET
    @Path("/{orderId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getOrder", summary = "An order's status",
            description = "What the thank-you page polls; no personal data.")
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "The order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrderView.class),
                    examples = {@ExampleObject(name = "pending-payment", ref = "orderPendingPayment"),
                        @ExampleObject(name = "paid", ref = "orderPaid"),
                        @ExampleObject(name = "expired-hold", ref = "orderExpiredHold")}))
    @APIResponse(responseCode = "404", ref = "OrderNotFound")
    @APIResponse(responseCode = "4XX", ref = "ClientError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    public Uni<OrderView> get(@PathParam("orderId") @Parameter(description = "The orderId of the checkout's answer")
                              String orderId) {
        return orders.find(orderId);
    }

    @POST
    @Path("/{orderId}/pay")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "payAgain", summary = "Pay again",
            description = "Returns the order with its Snap payment (the same token while the payment is pending). "
                    + "When payment cannot be prepared right now: payment = null, paymentRetryAfterSeconds and Retry-After.")
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "The order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrderView.class),
                    examples = {@ExampleObject(name = "pending-payment", ref = "orderPendingPayment"),
                        @ExampleObject(name = "without-payment", ref = "orderWithoutPayment")}),
            headers = @Header(name = HttpHeaders.RETRY_AFTER, ref = "RetryAfter"))
    @APIResponse(responseCode = "404", ref = "OrderNotFound")
    @APIResponse(responseCode = "409", description = "The order can no longer be paid (order-closed: PAID, FAILED, "
            + "EXPIRED or past its deadline; payment-closed: the payment ended and its result is on its way, poll the "
            + "order), or another request is changing it (order-busy: repeat after Retry-After)",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, ref = "RetryAfter"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = PROBLEM),
                    examples = {@ExampleObject(name = "order-closed", ref = "orderClosed"),
                        @ExampleObject(name = "payment-closed", ref = "paymentClosed"),
                        @ExampleObject(name = "order-busy", ref = "orderBusy")}))
    @APIResponse(responseCode = "422", description = "The payment provider refuses a payment for this order for good; "
            + "check out again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = PROBLEM),
                    examples = {@ExampleObject(name = "payment-rejected", ref = "paymentRejected"),
                        @ExampleObject(name = "payment-conflict", ref = "paymentConflict")}))
    @APIResponse(responseCode = "4XX", ref = "ClientError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    public Uni<Response> pay(@PathParam("orderId") @Parameter(description = "The orderId of the checkout's answer")
                             String orderId) {
        return orders.pay(orderId).map(answer -> withRetryAfter(Response.ok(answer.order()), answer.retryAfter()).build());
    }

    private static Response respond(CheckoutAnswer answer) {
        Response.ResponseBuilder response = Response.status(answer.status())
                .type(answer.mediaType())
                .entity(answer.body());
        if (answer.orderId() != null && answer.status() == Response.Status.CREATED.getStatusCode()) {
            response.location(URI.create("/api/orders/" + answer.orderId()));
        }
        if (answer.replayed()) {
            response.header(REPLAYED, "true");
        }
        return withRetryAfter(response, answer.retryAfter()).build();
    }

    private static Response.ResponseBuilder withRetryAfter(Response.ResponseBuilder response, Duration retryAfter) {
        return retryAfter == null ? response : response.header(HttpHeaders.RETRY_AFTER, Math.max(1, retryAfter.toSeconds()));
    }
}
