package dev.lunas.payment.resource;

import dev.lunas.payment.service.PaymentAttemptService;
import dev.lunas.payment.service.PaymentRequest;
import dev.lunas.payment.service.PaymentRequestService;
import dev.lunas.payment.service.PaymentStatuses;
import dev.lunas.payment.service.PaymentView;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** order-service's way to a Snap token (docs/integration.md); the service token is checked by common. */
@Path("/internal/payments")
public class InternalPaymentResource {

    private final PaymentRequestService payments;
    private final PaymentAttemptService attempts;

    public InternalPaymentResource(PaymentRequestService payments, PaymentAttemptService attempts) {
        this.payments = payments;
        this.attempts = attempts;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<PaymentView> request(@NotNull @Valid PaymentRequest request) {
        return payments.request(request);
    }

    /**
     * For order-service's expiry job: where the payments of 1 to 100 orders stand. Orders without an
     * attempt are left out. One SELECT, no transaction held.
     */
    @POST
    @Path("/statuses")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<PaymentStatuses.Answer> statuses(@NotNull @Valid PaymentStatuses.Query query) {
        return attempts.statuses(query.orderIds())
                .map(found -> new PaymentStatuses.Answer(found.stream()
                        .map(attempt -> new PaymentStatuses.Entry(attempt.orderId(), attempt.status().name()))
                        .toList()));
    }
}
