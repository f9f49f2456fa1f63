package dev.lunas.common.ratelimit;

import dev.lunas.common.problem.Problem;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.common.security.ApiAccessConfig;
import dev.lunas.common.security.ApiAccessFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Applies the rate-limit rules that name a path ({@code lunas.rate-limit.rules.<rule>.path}) before resource
 * matching and before the access check, so a refused request costs one database round trip and reads no body.
 * A refusal is a 429 problem+json with {@code Retry-After}: the seconds until the window ends.
 */
public class RateLimitFilter {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final String BEARER = "Bearer ";

    private final RateLimiter limiter;
    private final ApiAccessConfig access;

    public RateLimitFilter(RateLimiter limiter, ApiAccessConfig access) {
        this.limiter = limiter;
        this.access = access;
    }

    @ServerRequestFilter(preMatching = true, priority = 200)
    public Uni<Response> limit(ContainerRequestContext request, HttpServerRequest http) {
        List<RateLimiter.PathRule> rules = limiter.pathRules();
        if (rules.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        String path = ApiAccessFilter.normalized(request.getUriInfo().getPath());
        String method = request.getMethod();
        List<RateLimiter.PathRule> matching = new ArrayList<>(1);
        for (RateLimiter.PathRule rule : rules) {
            if (rule.matches(method, path)) {
                matching.add(rule);
            }
        }
        if (matching.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        String address = ClientAddress.key(limiter.clientAddress().resolve(peer(http), http.headers().getAll(FORWARDED_FOR)));
        return check(matching, 0, request, address, path);
    }

    private Uni<Response> check(List<RateLimiter.PathRule> rules, int index, ContainerRequestContext request,
                                String address, String path) {
        if (index == rules.size()) {
            return Uni.createFrom().nullItem();
        }
        RateLimiter.PathRule rule = rules.get(index);
        return limiter.hit(rule.name(), key(rule, request, address)).chain(verdict -> verdict.allowed()
                ? check(rules, index + 1, request, address, path)
                : Uni.createFrom().item(refuse(verdict.refusal(), path)));
    }

    private String key(RateLimiter.PathRule rule, ContainerRequestContext request, String address) {
        if (rule.key() == RateLimitConfig.Key.CALLER) {
            String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
            if (header != null && header.startsWith(BEARER)) {
                // only a valid token names a caller: guessed tokens are counted against the guesser's address
                Optional<String> caller = ApiAccessFilter.callerOf(access, header.substring(BEARER.length()).trim());
                if (caller.isPresent()) {
                    return "caller:" + caller.get();
                }
            }
        }
        return "address:" + address;
    }

    /** The TCP peer: the connection's own address, never one a forwarding header rewrote. */
    private static String peer(HttpServerRequest http) {
        SocketAddress address = http.connection() != null ? http.connection().remoteAddress() : http.remoteAddress();
        if (address == null) {
            address = http.remoteAddress();
        }
        return address == null ? null : address.hostAddress();
    }

    private static Response refuse(ProblemException refusal, String path) {
        Problem problem = refusal.problem().withInstance(path);
        return Response.status(429).type(Problem.MEDIA_TYPE).entity(problem)
                .header(HttpHeaders.RETRY_AFTER, Math.max(1, refusal.retryAfter().toSeconds())).build();
    }
}
