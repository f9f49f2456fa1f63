package dev.lunas.order.resource;

import dev.lunas.order.service.OrderService;
import dev.lunas.order.service.PackageView;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/packages")
@Tag(name = "Catalogue")
public class PackageResource {

    private final OrderService orders;

    public PackageResource(OrderService orders) {
        this.orders = orders;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The packages on sale", description = "Prices are integer rupiah.")
    public Uni<List<PackageView>> list() {
        return orders.packages();
    }
}
