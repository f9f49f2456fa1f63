package dev.lunas.notification.resource;

import static dev.lunas.common.logging.Masking.email;

import dev.lunas.common.problem.ProblemException;
import dev.lunas.notification.service.WatchdogService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;

/**
 * Proves that watchdog alerts reach a person (admin token enforced by common's ApiAccessFilter):
 * {@code POST /admin/alerts/test} mails "[Lunas test] …" straight to ALERT_EMAIL and answers 202, or 409 when no
 * ALERT_EMAIL is configured, 503 when the SMTP server does not take it.
 */
@Path("/admin/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertAdminResource {

    /** The (masked) address the test alert went to. */
    public record TestAlertSent(String sentTo) {
    }

    private final WatchdogService watchdog;

    public AlertAdminResource(WatchdogService watchdog) {
        this.watchdog = watchdog;
    }

    @POST
    @Path("test")
    public Uni<Response> test() {
        return watchdog.sendTest(Instant.now(), DeliveryAdminResource.ACTOR)
                .map(address -> Response.accepted(new TestAlertSent(email(address))).build())
                .onFailure(IllegalStateException.class).transform(failure -> ProblemException.conflict(
                        "alert-email-not-configured", "No ALERT_EMAIL is configured: alerts go nowhere. Set ALERT_EMAIL "
                                + "(lunas.notification.email.alert-address) and restart."))
                .onFailure(failure -> !(failure instanceof ProblemException)).transform(failure ->
                        ProblemException.unavailable("alert-mail-failed", "The SMTP server did not take the test "
                                + "alert: " + failure.getClass().getSimpleName(), Duration.ofSeconds(30)));
    }
}
