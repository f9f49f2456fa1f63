package dev.lunas.order.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A fake payment-service over real HTTP (WireMock), answering {@code POST /internal/payments} the way
 * docs/integration.md describes. Tests steer it through the injected server.
 */
public class PaymentServiceStub implements QuarkusTestResourceLifecycleManager {

    public static final String PATH = "/internal/payments";
    public static final String STATUSES_PATH = "/internal/payments/statuses";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(50)
                .globalTemplating(false));
        server.start();
        warmUp();
        return Map.of("quarkus.rest-client.payment-service.url", server.baseUrl());
    }

    // WireMock compiles its response templates on first use; doing it here keeps that second out of the
    // first checkout's payment-service timeout.
    private void warmUp() {
        issueTokens(server);
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"warm-up\",\"expiresAt\":\"2026-01-01T00:00:00Z\"}"))
                .build();
        try {
            HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        server.resetAll();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectPaymentService.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /**
     * Every order gets a token of its own, derived from its id, as payment-service does; asked for payment
     * statuses, it knows of no attempt (so the expiry job may expire what is due).
     */
    public static void issueTokens(WireMockServer server) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(tokenResponse()));
        reportPayments(server, Map.of());
    }

    /** {@code POST /internal/payments/statuses} answers these statuses (whatever ids were asked for). */
    public static void reportPayments(WireMockServer server, Map<UUID, String> statuses) {
        String payments = statuses.entrySet().stream()
                .map(entry -> "{\"orderId\":\"" + entry.getKey() + "\",\"status\":\"" + entry.getValue() + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
        server.stubFor(post(urlEqualTo(STATUSES_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"payments\":" + payments + "}")));
    }

    /** {@code POST /internal/payments/statuses} fails: 503, or the connection is reset. */
    public static void statusesUnavailable(WireMockServer server, boolean resetConnection) {
        server.stubFor(post(urlEqualTo(STATUSES_PATH)).willReturn(resetConnection
                ? aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)
                : aResponse().withStatus(503).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"type\":\"https://lunas.dev/problems/service-unavailable\",\"status\":503}")));
    }

    public static int statusCalls(WireMockServer server) {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(STATUSES_PATH)).build()).getCount();
    }

    public static ResponseDefinitionBuilder tokenResponse() {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"orderId\":\"{{jsonPath request.body '$.orderId'}}\",\"status\":\"PENDING\","
                        + "\"token\":\"tok-{{jsonPath request.body '$.orderId'}}\","
                        + "\"redirectUrl\":\"https://app.sandbox.midtrans.com/snap/v4/redirection/tok-{{jsonPath request.body '$.orderId'}}\","
                        + "\"expiresAt\":\"{{jsonPath request.body '$.expiresAt'}}\"}")
                .withTransformers("response-template");
    }

    public static void answerUnavailable(WireMockServer server, int retryAfterSeconds) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/problem+json")
                .withHeader("Retry-After", String.valueOf(retryAfterSeconds))
                .withBody("{\"type\":\"https://lunas.dev/problems/payment-provider-unavailable\",\"status\":503}")));
    }

    public static int calls(WireMockServer server) {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(PATH)).build()).getCount();
    }
}
