package dev.lunas.launcher.storefront;

import dev.lunas.launcher.http.Exchange;
import dev.lunas.launcher.http.Html;
import dev.lunas.launcher.http.Json;
import dev.lunas.launcher.http.LocalHttpServer;
import dev.lunas.launcher.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The demo storefront of {@code ./lunas run}: the plain HTML and JavaScript of tools/storefront/web (packed into the
 * launcher's jar as {@value #RESOURCES}), served on the storefront origin the services are configured with, plus
 * {@code /config.js}, which tells the pages where this run's order-service, Snap's snap.js (the simulator's, or
 * Midtrans's) and the course platform are. Nothing in the services depends on it: it calls order-service across
 * origins, as the shop's real storefront does (CORS), and opens Snap as docs/storefront.md says.
 *
 * <p>Every answer carries a Content-Security-Policy that lets the pages load scripts only from this origin and from
 * Snap's, frame only Snap's payment page and talk only to order-service; HTML and the configuration are never cached.
 */
public final class StorefrontServer implements AutoCloseable {

    static final String RESOURCES = "dev/lunas/launcher/storefront/web/";
    /** Path segments: lower-case letters, digits, dots and dashes, never "..". */
    private static final Pattern SAFE_PATH = Pattern.compile("(/[a-z0-9][a-z0-9.-]*)*/?");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "png", "image/png",
            "svg", "image/svg+xml",
            "ico", "image/x-icon");

    /**
     * Where the pages find what they use.
     *
     * @param port            the port to listen on (0: a free one)
     * @param apiBaseUrl      order-service, as the customer's browser reaches it
     * @param snapBaseUrl     Snap (the simulator, or Midtrans's app.sandbox.midtrans.com / app.midtrans.com): snap.js is
     *                        {@code /snap/snap.js} there
     * @param clientKey       the Midtrans client key snap.js is loaded with (empty when none is configured)
     * @param courseAccessUrl where a paid customer starts learning (COURSE_ACCESS_URL)
     */
    public record Settings(int port, URI apiBaseUrl, URI snapBaseUrl, String clientKey, String courseAccessUrl) {
    }

    private final LocalHttpServer server;
    private final byte[] config;
    private final String contentSecurityPolicy;

    private StorefrontServer(Settings settings) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("apiBaseUrl", withoutTrailingSlash(settings.apiBaseUrl().toString()));
        values.put("snapJsUrl", withoutTrailingSlash(settings.snapBaseUrl().toString()) + "/snap/snap.js");
        values.put("clientKey", settings.clientKey() == null ? "" : settings.clientKey());
        values.put("courseAccessUrl", settings.courseAccessUrl());
        this.config = ("// Written by ./lunas run for this run: where the demo storefront finds order-service, Snap and the"
                + " course platform.\nexport const config = Object.freeze(" + Json.write(values).replace("</", "<\\/") + ");\n")
                .getBytes(StandardCharsets.UTF_8);
        String snap = origin(settings.snapBaseUrl());
        this.contentSecurityPolicy = "default-src 'none'; script-src 'self' " + snap + "; frame-src " + snap
                + "; connect-src " + origin(settings.apiBaseUrl()) + "; style-src 'self'; img-src 'self' data:;"
                + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        Router router = new Router(StorefrontServer::error);
        router.get("/config\\.js", this::serveConfig).get("/.*", this::serveFile);
        this.server = LocalHttpServer.start("demo storefront", settings.port(), router);
    }

    /**
     * Starts serving.
     *
     * @throws dev.lunas.launcher.http.PortInUseException when another process holds the port
     */
    public static StorefrontServer start(Settings settings) {
        return new StorefrontServer(settings);
    }

    public int port() {
        return server.port();
    }

    /** The Content-Security-Policy every answer carries. */
    public String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    private Exchange secured(Exchange exchange) {
        return exchange.responseHeader("Content-Security-Policy", contentSecurityPolicy)
                .responseHeader("X-Content-Type-Options", "nosniff")
                .responseHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    }

    private void serveConfig(Exchange exchange) throws IOException {
        secured(exchange).send(200, CONTENT_TYPES.get("js"), config);
    }

    /** "/" is index.html, a path without an extension its .html page (/checkout, /payment/finish), the rest as it is. */
    private void serveFile(Exchange exchange) throws IOException {
        String path = exchange.path();
        if (!SAFE_PATH.matcher(path).matches()) {
            notFound(exchange);
            return;
        }
        String name = path.endsWith("/") ? path + "index.html" : path;
        String last = name.substring(name.lastIndexOf('/') + 1);
        if (!last.contains(".")) {
            name = name + ".html";
        }
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String contentType = CONTENT_TYPES.get(extension);
        byte[] body = contentType == null ? null : resource(name.substring(1));
        if (body == null) {
            notFound(exchange);
            return;
        }
        // pages and scripts change together with each build: asked again every time (no-cache), pages never kept
        secured(exchange).responseHeader("Cache-Control", extension.equals("html") ? "no-store" : "no-cache")
                .send(200, contentType, body);
    }

    private static void notFound(Exchange exchange) throws IOException {
        error(exchange, 404, "Not found");
    }

    /** A page of the launcher's plain style (its one inline style sheet is all it may use). */
    private static void error(Exchange exchange, int status, String reason) throws IOException {
        String title = status == 404 ? "Halaman tidak ditemukan" : "Permintaan ditolak (" + status + ")";
        exchange.responseHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .html(status, Html.page(title, "<h1>" + Html.escape(title) + "</h1><p><a href=\"/\">Kembali ke toko</a></p>"));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = StorefrontServer.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void close() {
        server.close();
    }
}
