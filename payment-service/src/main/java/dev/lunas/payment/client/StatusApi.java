package dev.lunas.payment.client;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Midtrans Core API Get Status; only {@link StatusClient} calls it. The body is kept raw: it is signed. */
@RegisterRestClient(configKey = "midtrans-api")
@Path("/v2")
interface StatusApi {

    @GET
    @Path("/{orderId}/status")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> status(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("orderId") String orderId);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        String body = MidtransResponses.body(response);
        if (status == 404) {
            return new TransactionNotFoundException(body);
        }
        return MidtransResponses.unavailable(status)
                ? new MidtransUnavailableException("Get Status answered HTTP " + status)
                : new MidtransRejectedException(status, body);
    }
}
