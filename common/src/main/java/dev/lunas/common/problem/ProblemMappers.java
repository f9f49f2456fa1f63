package dev.lunas.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.SocketException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure that reaches the HTTP layer into {@code application/problem+json}: expected
 * failures keep their status, client mistakes the framework detects (bad JSON, wrong media type,
 * unknown path) become the matching 4xx, an unreachable database or peer a 503 with Retry-After, and
 * anything else a 500 that reveals nothing internal.
 */
public class ProblemMappers {

    private static final int UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder answer = respond(e.problem(), uri);
        if (e.retryAfter() != null) {
            answer.header(HttpHeaders.RETRY_AFTER, Math.max(1, e.retryAfter().toSeconds()));
        }
        return answer.build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        if (e.getConstraintViolations().stream().anyMatch(ProblemMappers::isReturnValue)) {
            return unexpected(e, uri);
        }
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(Problem.FieldError::field).distinct()
                .collect(Collectors.joining(", ", "Invalid field(s): ", ""));
        Problem problem = Problem.of(400, "validation-failed", "Invalid request", detail).withErrors(errors);
        return respond(problem, uri).build();
    }

    /** Declared separately because Quarkus ships its own, non-problem mapper for exactly this type. */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        String detail = "The request body is not valid JSON for this endpoint";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            detail = "The field '" + field + "' has the wrong type or format";
        } else if (e.getLocation() != null) {
            detail += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return respond(Problem.of(400, "malformed-body", "Malformed request body", detail), uri).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException unreadableJson) {
            return unreadable(unreadableJson, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Request refused";
        String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        String detail = switch (status) {
            case 404 -> "No resource at this path";
            case 405 -> "This method is not allowed here";
            case 406 -> "This resource answers application/json";
            case 413 -> "The request body is too large";
            case 415 -> "Send the body as application/json";
            default -> title;
        };
        Response.ResponseBuilder answer = respond(Problem.of(status, slug, title, detail), uri);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase(HttpHeaders.ALLOW) || name.equalsIgnoreCase(HttpHeaders.RETRY_AFTER)) {
                values.forEach(v -> answer.header(name, v));
            }
        });
        return answer.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (isUnreachableDependency(e)) {
            // a database restart or a peer going away: the request may be repeated unchanged (Midtrans retries a
            // 503 four times, a 500 once), and a stack trace per request would drown the one line that matters
            Log.warnf("Unavailable on %s: %s", uri.getPath(), e);
            Problem problem = Problem.of(503, "service-unavailable", "Service unavailable",
                    "A system this service needs cannot be reached right now; repeat the request shortly");
            return respond(problem, uri).header(HttpHeaders.RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECONDS).build();
        }
        Log.errorf(e, "Unexpected failure on %s", uri.getPath());
        Problem problem = Problem.of(500, "internal-error", "Internal error",
                "The request could not be completed; it is safe to retry");
        return respond(problem, uri).build();
    }

    /**
     * True when the failure, or one of its causes, says a dependency cannot be reached: a refused connection, a
     * connection reset or lost mid-request (the database restarting under a pooled connection), or PostgreSQL refusing work while it shuts down or starts (SQLSTATE class 08,
     * connection exception, and 57P01–57P04).
     */
    static boolean isUnreachableDependency(Throwable failure) {
        return Failures.anyCause(failure, cause -> cause instanceof SocketException
                || cause instanceof ClosedConnectionException
                || cause instanceof DatabaseException database && database.getSqlState() != null
                        && (database.getSqlState().startsWith("08") || database.getSqlState().startsWith("57P")));
    }

    private static Response.ResponseBuilder respond(Problem problem, UriInfo uri) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem.withInstance(uri.getPath()));
    }

    private static boolean isReturnValue(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** "create.request.customer.email" (method, parameter, bean path) becomes "customer.email". */
    static String fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, CROSS_PARAMETER -> { }
                case PARAMETER -> parameter = node.getName();
                default -> {
                    if (node.getIndex() != null) {
                        field.append('[').append(node.getIndex()).append(']');
                    } else if (node.getKey() != null) {
                        field.append('[').append(node.getKey()).append(']');
                    }
                    if (node.getName() != null) {
                        if (!field.isEmpty()) {
                            field.append('.');
                        }
                        field.append(node.getName());
                    }
                }
            }
        }
        if (field.isEmpty()) {
            return parameter != null ? parameter : "body";
        }
        return field.toString();
    }
}
