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
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** payment-service's internal API; used only through the fault-tolerant {@link PaymentServiceClient}. */
@RegisterRestClient(configKey = "payment-service")
@Path("/internal/payments")
interface PaymentServiceApi {

    /** Problem types that refuse a token for good (payment-service answers them as 422, formerly 409). */
    Set<String> REFUSALS = Set.of(ProblemTypes.PAYMENT_CLOSED, ProblemTypes.PAYMENT_CONFLICT,
            ProblemTypes.PAYMENT_REJECTED);

    /** Seconds of Retry-After accepted from payment-service; anything longer is capped here. */
    long MAX_RETRY_AFTER_SECONDS = 3600;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<PaymentToken> requestToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                   @HeaderParam(Correlation.HEADER) String correlationId,
                                   PaymentTokenRequest request);

    /** The payment status of each listed order that has an attempt (1 to 100 ids). */
    @POST
    @Path("/statuses")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<PaymentStatuses> statuses(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                  @HeaderParam(Correlation.HEADER) String correlationId,
                                  PaymentStatuses.Query query);

    /**
     * Maps an error answer by its problem type (docs/integration.md): {@code payment-in-progress} is
     * transient, the refusals are permanent business answers, a 5xx is an outage, and any other 4xx is a
     * defect to log. Only the first few KiB of the body are read.
     */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status >= 500) {
            return new PaymentServiceException("payment-service answered " + status,
                    status == 503 ? retryAfter(response.getHeaderString(HttpHeaders.RETRY_AFTER)) : null);
        }
        String slug = ProblemTypes.slug(body(response));
        if (status == 409 && ProblemTypes.PAYMENT_IN_PROGRESS.equals(slug)) {
            return new PaymentInProgressException(retryAfter(response.getHeaderString(HttpHeaders.RETRY_AFTER)));
        }
        if ((status == 409 || status == 422) && REFUSALS.contains(slug)) {
            return new PaymentRefusedException(slug, status);
        }
        return new PaymentServiceMisuseException(status, slug);
    }

    private static InputStream body(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(InputStream.class) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds > 0 ? Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER_SECONDS)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
