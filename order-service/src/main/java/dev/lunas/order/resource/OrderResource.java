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
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/orders")
@Tag(name = "Orders")
public class OrderResource {

    static final String REPLAYED = "Idempotent-Replayed";

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
    @Operation(summary = "Check out a package",
            description = "Creates an order at the server-computed price and asks for a Midtrans Snap payment. "
                    + "Repeat a request with the same Idempotency-Key and body to get the same answer "
                    + "(Idempotent-Replayed: true); never reuse a key for another order. When payment cannot be "
                    + "prepared right now the order is still created: the answer has payment = null, "
                    + "paymentRetryAfterSeconds and a Retry-After header; repeat the request, or call "
                    + "POST /api/orders/{orderId}/pay, after that time.")
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, required = true,
            description = "16 to 255 printable ASCII characters (a UUID is recommended), bare or as a quoted string")
    @APIResponse(responseCode = "201", description = "The order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrderView.class)),
            headers = {
                @Header(name = "Location", description = "The order's URL"),
                @Header(name = REPLAYED, description = "true when this is the stored answer to an earlier request"),
                @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before asking for payment again")})
    @APIResponse(responseCode = "400", description = "Invalid body, or a missing or malformed Idempotency-Key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Sold out or discount code used up (stored and replayed); or a "
            + "request with this key is still running (Retry-After; repeat it unchanged)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Unknown package or discount code, code not valid now or not for "
            + "this package, the Idempotency-Key was used for a different request, or the payment provider refused "
            + "the payment for good (payment-rejected: the answer under this key; check out again)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many checkouts from this address or for this email; nothing "
            + "was written (Retry-After: seconds until the limit frees)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> checkout(@HeaderParam("Idempotency-Key") String idempotencyKey,
                                  @NotNull @Valid CheckoutRequest request) {
        // per customer email, once the body is valid (per address is counted by common's RateLimitFilter)
        return rateLimits.enforce("checkout-email", request.customer().email().trim().toLowerCase(Locale.ROOT))
                .chain(() -> checkout.checkout(idempotencyKey, request)).map(OrderResource::respond);
    }

    @GET
    @Path("/{orderId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "An order's status", description = "What the thank-you page polls; no personal data.")
    @APIResponse(responseCode = "200", description = "The order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "404", description = "No such order",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<OrderView> get(@PathParam("orderId") String orderId) {
        return orders.find(orderId);
    }

    @POST
    @Path("/{orderId}/pay")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pay again",
            description = "Returns the order with its Snap payment (the same token while the payment is pending). "
                    + "When payment cannot be prepared right now: payment = null, paymentRetryAfterSeconds and Retry-After.")
    @APIResponse(responseCode = "200", description = "The order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrderView.class)),
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before asking again"))
    @APIResponse(responseCode = "404", description = "No such order",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The order is paid, failed or expired",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> pay(@PathParam("orderId") String orderId) {
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
