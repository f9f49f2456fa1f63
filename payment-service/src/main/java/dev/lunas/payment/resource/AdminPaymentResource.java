package dev.lunas.payment.resource;

import dev.lunas.payment.service.Reconciled;
import dev.lunas.payment.service.ReconciliationService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import java.util.UUID;

/** Operator tools; the admin token is checked by common (and the API is off without one). */
@Path("/admin/payments")
public class AdminPaymentResource {

    private final ReconciliationService reconciliation;

    public AdminPaymentResource(ReconciliationService reconciliation) {
        this.reconciliation = reconciliation;
    }

    /** Asks Midtrans about one order now and applies the answer like a notification. */
    @POST
    @Path("/{orderId}/reconcile")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<Reconciled> reconcile(@PathParam("orderId") UUID orderId) {
        return reconciliation.reconcile(orderId);
    }
}
