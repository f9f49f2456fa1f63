package dev.lunas.order.resource;

import dev.lunas.common.event.EventEnvelope;
import dev.lunas.order.service.PaymentEventService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Payment results from payment-service, relayed by notification-service; the relay's credential (LUNAS_RELAY_TOKEN) required by common's ApiAccessFilter. */
@Path("/internal/payment-events")
public class PaymentEventResource {

    private final PaymentEventService events;

    public PaymentEventResource(PaymentEventService events) {
        this.events = events;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<PaymentEventService.Answer> receive(@NotNull EventEnvelope envelope) {
        return events.apply(envelope);
    }
}
