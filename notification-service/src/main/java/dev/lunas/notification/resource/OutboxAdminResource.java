package dev.lunas.notification.resource;

import static dev.lunas.notification.resource.DeliveryAdminResource.ACTOR;
import static dev.lunas.notification.resource.DeliveryAdminResource.blankToNull;

import dev.lunas.common.problem.ProblemException;
import dev.lunas.notification.repository.SourceOutboxRepository.DeadEvent;
import dev.lunas.notification.service.AdminService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/**
 * Outbox rows the relay could not route (unknown event type, unreadable payload): they stay DEAD in the
 * producer's table until an operator requeues them, typically after deploying a version that knows them.
 */
@Path("/admin/outbox")
@Produces(MediaType.APPLICATION_JSON)
public class OutboxAdminResource {

    private final AdminService admin;

    public record Requeued(int requeued, List<DeadEvent> events) {
    }

    public OutboxAdminResource(AdminService admin) {
        this.admin = admin;
    }

    @GET
    public Uni<List<DeadEvent>> list(@QueryParam("status") @DefaultValue("DEAD") String status,
                                     @QueryParam("source") String source,
                                     @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        if (!"DEAD".equalsIgnoreCase(status.trim())) {
            throw ProblemException.badRequest("invalid-status",
                    "Only DEAD outbox rows are listed here; PENDING ones are about to be relayed");
        }
        return admin.deadEvents(blankToNull(source), limit);
    }

    @POST
    @Path("{source}/{eventId}/requeue")
    public Uni<DeadEvent> requeue(@PathParam("source") String source, @PathParam("eventId") String eventId) {
        return admin.requeueEvent(source, uuid(eventId), ACTOR);
    }

    @POST
    @Path("requeue")
    public Uni<Requeued> requeueAll(@QueryParam("source") String source, @QueryParam("eventType") String eventType) {
        return admin.requeueEvents(blankToNull(source), blankToNull(eventType), ACTOR)
                .map(events -> new Requeued(events.size(), events));
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-event-id", "The event id must be a UUID");
        }
    }
}
