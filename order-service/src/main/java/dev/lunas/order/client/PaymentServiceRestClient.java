package dev.lunas.order.client;

import dev.lunas.common.http.Correlation;
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
import java.time.Duration;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** payment-service's internal API; used only through the fault-tolerant {@link PaymentServiceClient}. */
@RegisterRestClient(configKey = "payment-service")
@Path("/internal/payments")
interface PaymentServiceRestClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<PaymentToken> requestToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                   @HeaderParam(Correlation.HEADER) String correlationId,
                                   PaymentTokenRequest request);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status == 409) {
            return new PaymentClosedException("payment-service refused a new token (409)");
        }
        return new PaymentServiceException("payment-service answered " + status,
                status == 503 ? retryAfter(response.getHeaderString(HttpHeaders.RETRY_AFTER)) : null);
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
