package dev.lunas.payment.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The fake Midtrans: one WireMock server on a random port answers both Snap and the Core API (Get
 * Status). Test fields annotated {@link InjectMidtrans} receive it.
 */
public class MidtransWireMock implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(40));
        server.start();
        return Map.of(
                "quarkus.rest-client.midtrans-snap.url", server.baseUrl(),
                "quarkus.rest-client.midtrans-api.url", server.baseUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectMidtrans.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
