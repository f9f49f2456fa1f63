package dev.lunas.notification.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.DeliveryStatus;
import dev.lunas.notification.repository.DeliveryRepository.Filter;
import dev.lunas.notification.repository.DeliveryRepository.Summary;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The delivery queue for operators (admin token enforced by common's ApiAccessFilter): list deliveries,
 * above all the DEAD ones with their error history, and requeue them once the cause is fixed.
 */
@Path("/admin/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryAdminResource {

    static final String ACTOR = "admin";

    private final AdminService admin;
    private final ObjectMapper json;

    /** A delivery as operators see it: no message body, no contact data; maxAttempts null means no limit. */
    public record DeliveryView(long id, UUID eventId, String source, String eventType, String orderId, Channel channel,
                               String template, DeliveryStatus status, int attempts, Integer maxAttempts, String lastError,
                               JsonNode errors, Instant createdAt, Instant availableAt, Instant finishedAt) {
    }

    public record Requeued(int requeued) {
    }

    public DeliveryAdminResource(AdminService admin, ObjectMapper json) {
        this.admin = admin;
        this.json = json;
    }

    @GET
    public Uni<List<DeliveryView>> list(@QueryParam("status") String status, @QueryParam("channel") String channel,
                                        @QueryParam("eventType") String eventType,
                                        @QueryParam("template") String template,
                                        @QueryParam("before") @Min(1) Long before,
                                        @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        Filter filter = new Filter(parse(DeliveryStatus.class, "status", status), parse(Channel.class, "channel", channel),
                blankToNull(eventType), blankToNull(template));
        return admin.list(filter, before, limit).map(rows -> rows.stream().map(this::view).toList());
    }

    @GET
    @Path("{id: [0-9]+}")
    public Uni<DeliveryView> get(@PathParam("id") long id) {
        return admin.find(id).map(this::view);
    }

    @POST
    @Path("{id: [0-9]+}/requeue")
    public Uni<DeliveryView> requeue(@PathParam("id") long id) {
        return admin.requeue(id, ACTOR).map(this::view);
    }

    /** Requeues DEAD deliveries matching the optional filters, at most {@link AdminService#BULK_LIMIT} per call. */
    @POST
    @Path("requeue")
    public Uni<Requeued> requeueAll(@QueryParam("channel") String channel, @QueryParam("eventType") String eventType,
                                    @QueryParam("template") String template) {
        Filter filter = new Filter(DeliveryStatus.DEAD, parse(Channel.class, "channel", channel),
                blankToNull(eventType), blankToNull(template));
        return admin.requeueAll(filter, ACTOR).map(Requeued::new);
    }

    private DeliveryView view(Summary row) {
        JsonNode errors;
        try {
            errors = json.readTree(row.errors());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("delivery.errors of " + row.id() + " is not JSON", e);
        }
        return new DeliveryView(row.id(), row.eventId(), row.source(), row.eventType(), row.aggregateId(),
                row.channel(), row.template(), row.status(), row.attempts(), row.maxAttempts(), row.lastError(), errors,
                row.createdAt(), row.availableAt(), row.finishedAt());
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static <E extends Enum<E>> E parse(Class<E> type, String parameter, String value) {
        String given = blankToNull(value);
        if (given == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, given.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-" + parameter, "'" + parameter + "' must be one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
