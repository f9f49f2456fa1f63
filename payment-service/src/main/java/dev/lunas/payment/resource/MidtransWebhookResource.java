package dev.lunas.payment.resource;

import dev.lunas.common.problem.Problem;
import dev.lunas.payment.service.WebhookService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Midtrans's HTTP notification URL. The body is taken raw, whatever its declared type, because the
 * signature covers exact strings and a parse-and-reserialise would lose them; no auth header exists
 * (Midtrans sends none), the signature in the body is the authentication.
 */
@Path("/webhooks/midtrans")
@Tag(name = "Midtrans")
public class MidtransWebhookResource {

    /** Midtrans ignores the body of our answer; the outcome helps whoever reads a delivery log. */
    @Schema(name = "WebhookAnswer")
    public record Answer(
            @Schema(required = true, description = "What became of the notification: the stored outcome, or DUPLICATE "
                    + "for a redelivery", examples = "APPLIED")
            String outcome) {
    }

    private static final String EXAMPLE_SIGNATURE = "5b0c2c0f6f5b7ad5e3a7b8c6d1e2f30415263748596a7b8c9d0e1f2a3b4c5d6e"
            + "7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e";

    private final WebhookService webhook;

    public MidtransWebhookResource(WebhookService webhook) {
        this.webhook = webhook;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "receiveMidtransNotification", summary = "A Midtrans payment notification",
            description = "Midtrans's HTTP notification URL. No credential is sent: the body's signature_key (SHA-512 "
                    + "of order_id, status_code, gross_amount and the server key) authenticates it. The body is read "
                    + "raw whatever its declared type; unknown fields are skipped. Every 2xx ends Midtrans's retries; "
                    + "a 503 is retried by Midtrans.")
    @SecurityRequirements
    @RequestBody(required = true, description = "The notification as Midtrans sends it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "MidtransNotification"),
                    examples = @ExampleObject(name = "settlement", value = "{\"order_id\":\"01a2413b-6696-7820-bfad-"
                            + "99fe04a5df7b\",\"status_code\":\"200\",\"gross_amount\":\"99000.00\",\"signature_key\":"
                            + "\"" + EXAMPLE_SIGNATURE + "\",\"transaction_status\":\"settlement\","
                            + "\"transaction_id\":\"9aed5972-5b6a-401e-894b-a32c91ed1a3a\",\"payment_type\":\"qris\","
                            + "\"currency\":\"IDR\"}")))
    @APIResponse(responseCode = "200", description = "Recorded (also a duplicate, a stale or out-of-order notification, "
            + "a claim awaiting Get Status, or an unknown order)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Answer.class)))
    @APIResponse(responseCode = "400", description = "malformed-body, missing-fields or inconsistent-status: "
            + "nothing recorded",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "missing-fields", value = "{\"type\":\"https://lunas.dev/problems/"
                            + "missing-fields\",\"title\":\"Bad request\",\"status\":400,\"detail\":\"The notification "
                            + "lacks signature_key\",\"instance\":\"/webhooks/midtrans\"}")))
    @APIResponse(responseCode = "401", description = "invalid-signature: the signature_key is missing or wrong; "
            + "nothing recorded",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid-signature", value = "{\"type\":\"https://lunas.dev/"
                            + "problems/invalid-signature\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":"
                            + "\"The signature_key does not match the notification\",\"instance\":\"/webhooks/midtrans\"}")))
    @APIResponse(responseCode = "413", description = "payload-too-large: more than 64 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "payload-too-large", value = "{\"type\":\"https://lunas.dev/"
                            + "problems/payload-too-large\",\"title\":\"Payload too large\",\"status\":413,\"detail\":"
                            + "\"A notification may not exceed 65536 bytes\",\"instance\":\"/webhooks/midtrans\"}")))
    @APIResponse(responseCode = "422", description = "amount-mismatch: validly signed, but the amount or currency "
            + "differs from the payment's (recorded with an alert, nothing applied)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "amount-mismatch", value = "{\"type\":\"https://lunas.dev/"
                            + "problems/amount-mismatch\",\"title\":\"Amount mismatch\",\"status\":422,\"detail\":"
                            + "\"The amount or currency does not match the payment\",\"instance\":\"/webhooks/midtrans\"}")))
    @APIResponse(responseCode = "429", description = "too-many-requests: more notifications from this address than "
            + "the limit allows",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds until the limit frees",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "too-many-requests", value = "{\"type\":\"https://lunas.dev/"
                            + "problems/too-many-requests\",\"title\":\"Too many requests\",\"status\":429,\"detail\":"
                            + "\"Too many requests of this kind (webhook-address: at most 600 per 1 min); retry after 12 s\","
                            + "\"instance\":\"/webhooks/midtrans\"}")))
    @APIResponse(responseCode = "503", description = "webhook-unavailable or service-unavailable: it could not be "
            + "recorded right now; Midtrans retries",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before retrying",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "webhook-unavailable", value = "{\"type\":\"https://lunas.dev/"
                            + "problems/webhook-unavailable\",\"title\":\"Service unavailable\",\"status\":503,"
                            + "\"detail\":\"The notification could not be recorded right now; please retry\","
                            + "\"instance\":\"/webhooks/midtrans\"}")))
    public Uni<Answer> receive(byte[] body) {
        return webhook.receive(body).map(recorded -> new Answer(recorded.answer()));
    }
}
