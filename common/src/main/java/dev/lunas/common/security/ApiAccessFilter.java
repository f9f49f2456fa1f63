package dev.lunas.common.security;

import dev.lunas.common.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Deny-by-default guard by path, before resource matching (an unknown internal path answers 401/403 rather
 * than revealing what exists). A path named by a guard needs that guard's token and no other; any other
 * {@code /internal} path is closed; {@code /admin} needs the admin token and answers 404 when none is set.
 */
public class ApiAccessFilter {

    private static final String BEARER = "Bearer ";
    private static final String INTERNAL = "/internal";
    /** Longer than any real token; a longer header is refused before it is hashed. */
    private static final int MAX_TOKEN_LENGTH = 512;

    /** A guard with its paths resolved once. */
    record Route(String name, String prefix, Optional<String> token) {
    }

    private final ApiAccessConfig config;
    private final List<Route> routes;

    public ApiAccessFilter(ApiAccessConfig config) {
        this.config = config;
        this.routes = routes(config.guards());
    }

    @ServerRequestFilter(preMatching = true)
    public Response guard(ContainerRequestContext request) {
        String path = normalized(request.getUriInfo().getPath());
        Optional<Route> route = routes.stream().filter(candidate -> under(path, candidate.prefix())).findFirst();
        if (route.isPresent()) {
            return check(request, route.get().token(), route.get().name() + " token");
        }
        if (under(path, INTERNAL)) {
            return check(request, Optional.empty(), "service token");
        }
        if (under(path, "/admin")) {
            if (config.adminToken().isEmpty()) {
                return refuse(404, "admin-disabled", "Not found",
                        "The admin API is switched off: no LUNAS_ADMIN_TOKEN is configured", request);
            }
            return check(request, config.adminToken(), "admin token");
        }
        return null;
    }

    /** Longest prefix first, so a guard on /internal/payments/x wins over one on /internal/payments. */
    static List<Route> routes(Map<String, ApiAccessConfig.Guard> guards) {
        return guards.entrySet().stream()
                .flatMap(guard -> guard.getValue().paths().stream()
                        .map(prefix -> new Route(guard.getKey(), normalized(prefix), guard.getValue().token()
                                .filter(token -> !token.isBlank()))))
                .sorted(Comparator.comparingInt((Route route) -> route.prefix().length()).reversed())
                .toList();
    }

    private Response check(ContainerRequestContext request, Optional<String> expected, String kind) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith(BEARER)) {
            return refuse(401, "missing-token", "Unauthorized",
                    "This endpoint needs 'Authorization: Bearer <" + kind + ">'", request);
        }
        String given = header.substring(BEARER.length()).trim();
        if (expected.isEmpty() || given.length() > MAX_TOKEN_LENGTH || !constantTimeEquals(given, expected.get())) {
            return refuse(403, "invalid-token", "Forbidden", "The credential does not open this endpoint", request);
        }
        return null;
    }

    /**
     * The name of the caller a token belongs to ({@code admin} or a guard's name), empty for a token that opens
     * nothing. Lets a rate limit count per caller without trusting whatever a guesser sends.
     */
    public static Optional<String> callerOf(ApiAccessConfig config, String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        if (config.adminToken().filter(admin -> !admin.isBlank() && constantTimeEquals(token, admin)).isPresent()) {
            return Optional.of("admin");
        }
        return config.guards().entrySet().stream()
                .filter(guard -> guard.getValue().token().filter(t -> !t.isBlank() && constantTimeEquals(token, t)).isPresent())
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** Resolves "//", "." and ".." so that no spelling of a protected path slips past a prefix check. */
    public static String normalized(String rawPath) {
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

    /** Compares digests, so neither the content nor the length of a guessed token shows in the time taken. */
    static boolean constantTimeEquals(String given, String expected) {
        return MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
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
