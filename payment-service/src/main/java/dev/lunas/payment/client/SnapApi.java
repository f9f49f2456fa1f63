package dev.lunas.payment.client;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Midtrans Snap; only {@link SnapClient} calls it, with fault tolerance around it. */
@RegisterRestClient(configKey = "midtrans-snap")
@Path("/snap/v1/transactions")
interface SnapApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<SnapToken> create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, SnapTransaction transaction);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        String body = MidtransResponses.body(response);
        return MidtransResponses.unavailable(status)
                ? new MidtransUnavailableException("Snap answered HTTP " + status)
                : new MidtransRejectedException(status, body);
    }
}
