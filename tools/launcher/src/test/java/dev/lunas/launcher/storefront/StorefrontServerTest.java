package dev.lunas.launcher.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo storefront's server: the pages of tools/storefront/web with their types, this run's config.js, the CSP. */
class StorefrontServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static StorefrontServer server;

    @BeforeAll
    static void start() {
        server = StorefrontServer.start(new StorefrontServer.Settings(0, URI.create("http://localhost:18081"),
                URI.create("http://localhost:18090/"), "SB-Mid-client-test", "https://kelas.example/masuk"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pagesAreServedByNameWithTheirTypesAndNeverCached() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(index.body()).contains("<html lang=\"id\">", "/index.js");

        assertThat(get("/checkout").body()).contains("id=\"checkout-form\"", "/checkout.js");
        assertThat(get("/payment/finish").body()).contains("/finish.js");
        HttpResponse<String> script = get("/api.js");
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(script.body()).contains("./vendor/lunas-storefront.js");
        assertThat(get("/storefront.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(get("/vendor/lunas-storefront.js").body()).contains("export function createStorefrontClient");
    }

    @Test
    void configTellsThePagesWhereThisRunsServicesAre() throws Exception {
        HttpResponse<String> config = get("/config.js");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(config.body()).contains("export const config", "\"apiBaseUrl\":\"http://localhost:18081\"",
                "\"snapJsUrl\":\"http://localhost:18090/snap/snap.js\"", "\"clientKey\":\"SB-Mid-client-test\"",
                "\"courseAccessUrl\":\"https://kelas.example/masuk\"");
    }

    @Test
    void theContentSecurityPolicyAllowsOnlyThisOriginSnapAndOrderService() throws Exception {
        String policy = get("/").headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("default-src 'none'", "script-src 'self' http://localhost:18090",
                "frame-src http://localhost:18090", "connect-src http://localhost:18081", "style-src 'self'",
                "frame-ancestors 'none'");
        assertThat(policy).doesNotContain("unsafe");
        assertThat(get("/config.js").headers().firstValue("Content-Security-Policy")).hasValue(policy);
        assertThat(get("/index.js").headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void nothingOutsideThePagesIsServed() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/../pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/%2e%2e/StorefrontServer.class").statusCode()).isEqualTo(404);
        assertThat(get("/README.md").statusCode()).as("only the page types").isEqualTo(404);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri("/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
