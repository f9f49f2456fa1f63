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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/packages")
@Tag(name = "Catalogue", description = "The packages on sale, with their prices and remaining places")
public class PackageResource {

    private final OrderService orders;

    public PackageResource(OrderService orders) {
        this.orders = orders;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listPackages", summary = "The packages on sale", description = "Prices are integer rupiah.")
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "The packages on sale",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = PackageView.class),
                    examples = @ExampleObject(name = "packages", ref = "packages")))
    @APIResponse(responseCode = "4XX", ref = "ClientError")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    public Uni<List<PackageView>> list() {
        return orders.packages();
    }
}
