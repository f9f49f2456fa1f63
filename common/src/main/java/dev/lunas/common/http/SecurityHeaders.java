package dev.lunas.common.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Headers every answer carries, error answers included: no content sniffing, never inside a frame, no
 * referrer, and {@code Cache-Control: no-store} on the paths that carry personal or order data (no shared
 * cache or browser history keeps an order or an entitlement). HSTS where the service sits behind TLS
 * (on in prod). Installed as the first route, so it also covers answers that no resource produced.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String HSTS = "max-age=31536000; includeSubDomains";

    private final List<String> noStorePaths;
    private final boolean hsts;

    public SecurityHeaders(@ConfigProperty(name = "lunas.http.no-store-paths",
                                   defaultValue = "/api/orders,/api/entitlements,/internal,/admin") List<String> noStorePaths,
                           @ConfigProperty(name = "lunas.http.hsts", defaultValue = "false") boolean hsts) {
        this.noStorePaths = List.copyOf(noStorePaths);
        this.hsts = hsts;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::addOnAnswer);
    }

    private void addOnAnswer(RoutingContext context) {
        String path = context.normalizedPath();
        context.addHeadersEndHandler(ignored -> {
            MultiMap headers = context.response().headers();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Content-Security-Policy", "frame-ancestors 'none'");
            headers.set("Referrer-Policy", "no-referrer");
            if (noStorePaths.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"))) {
                headers.set("Cache-Control", "no-store");
            }
            if (hsts) {
                headers.set("Strict-Transport-Security", HSTS);
            }
        });
        context.next();
    }
}
