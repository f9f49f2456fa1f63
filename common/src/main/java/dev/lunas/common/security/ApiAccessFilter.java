package dev.lunas.common.security;

import dev.lunas.common.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Deny-by-default guard by path: everything under {@code /internal} (and any extra configured service
 * paths) needs the service token, everything under {@code /admin} the admin token. Runs before resource
 * matching, so an unknown internal path answers 401 rather than revealing what exists.
 */
public class ApiAccessFilter {

    private static final String BEARER = "Bearer ";

    private final ApiAccessConfig config;

    public ApiAccessFilter(ApiAccessConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Response guard(ContainerRequestContext request) {
        String path = normalized(request.getUriInfo().getPath());
        if (under(path, "/internal")
                || config.extraServicePaths().orElse(List.of()).stream().anyMatch(prefix -> under(path, prefix))) {
            return check(request, Optional.of(config.serviceToken()), "service");
        }
        if (under(path, "/admin")) {
            if (config.adminToken().isEmpty()) {
                return refuse(404, "admin-disabled", "Not found",
                        "The admin API is switched off: no LUNAS_ADMIN_TOKEN is configured", request);
            }
            return check(request, config.adminToken(), "admin");
        }
        return null;
    }

    private Response check(ContainerRequestContext request, Optional<String> expected, String kind) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith(BEARER)) {
            return refuse(401, "missing-token", "Unauthorized",
                    "This endpoint needs 'Authorization: Bearer <" + kind + " token>'", request);
        }
        if (expected.isEmpty() || !constantTimeEquals(header.substring(BEARER.length()).trim(), expected.get())) {
            return refuse(403, "invalid-token", "Forbidden", "The " + kind + " token is not valid", request);
        }
        return null;
    }

    /** Resolves "//", "." and ".." so that no spelling of a protected path slips past the prefix check. */
    static String normalized(String rawPath) {
        String collapsed = ("/" + rawPath).replaceAll("/{2,}", "/");
        try {
            String resolved = new URI(null, null, collapsed, null).normalize().getPath();
            return resolved.startsWith("/") ? resolved : "/" + resolved;
        } catch (URISyntaxException e) {
            return collapsed;
        }
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    static boolean constantTimeEquals(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static Response refuse(int status, String slug, String title, String detail, ContainerRequestContext request) {
        Problem problem = Problem.of(status, slug, title, detail).withInstance(normalized(request.getUriInfo().getPath()));
        Response.ResponseBuilder answer = Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
        if (status == 401) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return answer.build();
    }
}
