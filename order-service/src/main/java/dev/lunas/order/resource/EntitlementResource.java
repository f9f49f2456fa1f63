package dev.lunas.order.resource;

import dev.lunas.order.service.EntitlementView;
import dev.lunas.order.service.OrderService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Course access by customer email, for the course platform. Guarded by the course platform's own credential
 * (LUNAS_ENTITLEMENTS_TOKEN, guard {@code lunas.api.guards.entitlements}); not part of the storefront API.
 */
@Path("/api/entitlements")
public class EntitlementResource {

    private final OrderService orders;

    public EntitlementResource(OrderService orders) {
        this.orders = orders;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<List<EntitlementView>> list(
            @QueryParam("email") @NotBlank @Size(max = 254) @Email(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+") String email) {
        return orders.entitlements(email);
    }
}
