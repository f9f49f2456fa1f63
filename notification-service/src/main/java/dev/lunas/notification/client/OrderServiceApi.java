package dev.lunas.notification.client;

import dev.lunas.common.event.EventEnvelope;
import dev.lunas.common.http.Correlation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** order-service's endpoint for payment results (docs/integration.md). */
@Path("/internal/payment-events")
public interface OrderServiceApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> deliver(@HeaderParam("Authorization") String authorization,
                          @HeaderParam(Correlation.HEADER) String correlationId, EventEnvelope envelope);
}
