package dev.lunas.payment.resource;

import dev.lunas.payment.service.WebhookService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Midtrans's HTTP notification URL. The body is taken raw, whatever its declared type, because the
 * signature covers exact strings and a parse-and-reserialise would lose them; no auth header exists
 * (Midtrans sends none), the signature in the body is the authentication.
 */
@Path("/webhooks/midtrans")
public class MidtransWebhookResource {

    /** Midtrans ignores the body of our answer; the outcome helps whoever reads a delivery log. */
    public record Answer(String outcome) {
    }

    private final WebhookService webhook;

    public MidtransWebhookResource(WebhookService webhook) {
        this.webhook = webhook;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Answer> receive(byte[] body) {
        return webhook.receive(body).map(recorded -> new Answer(recorded.answer()));
    }
}
