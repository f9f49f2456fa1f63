package dev.lunas.payment.resource;

import dev.lunas.payment.service.PaymentRequest;
import dev.lunas.payment.service.PaymentRequestService;
import dev.lunas.payment.service.PaymentView;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** order-service's way to a Snap token (docs/integration.md); the service token is checked by common. */
@Path("/internal/payments")
public class InternalPaymentResource {

    private final PaymentRequestService payments;

    public InternalPaymentResource(PaymentRequestService payments) {
        this.payments = payments;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PaymentView> request(@NotNull @Valid PaymentRequest request) {
        return payments.request(request);
    }
}
