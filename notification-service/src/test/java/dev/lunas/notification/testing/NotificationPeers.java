package dev.lunas.notification.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.lunas.common.testing.MigrationRollback;
import dev.lunas.common.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The world around notification-service in tests: the producers' outbox tables (orders, payments),
 * an in-process SMTP server (GreenMail) behind a {@link SmtpSwitch}, and WireMock as both the WhatsApp
 * Cloud API and order-service. Started once per test JVM and shared by every Quarkus boot in it.
 */
public class NotificationPeers implements QuarkusTestResourceLifecycleManager {

    public static final String PHONE_NUMBER_ID = "109876543210";
    public static final String WHATSAPP_TOKEN = "test-whatsapp-token";

    private static GreenMail greenMail;
    private static SmtpSwitch smtp;
    private static WireMockServer wireMock;

    public static GreenMail greenMail() {
        return greenMail;
    }

    public static SmtpSwitch smtp() {
        return smtp;
    }

    public static WireMockServer wireMock() {
        return wireMock;
    }

    @Override
    public Map<String, String> start() {
        startOnce();
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(smtp.port()),
                "lunas.notification.email.smtp-host", "127.0.0.1",
                "lunas.notification.whatsapp.api-url", wireMock.baseUrl() + "/v21.0",
                "lunas.notification.whatsapp.token", WHATSAPP_TOKEN,
                "lunas.notification.whatsapp.phone-number-id", PHONE_NUMBER_ID,
                "lunas.notification.internal.order-service-url", wireMock.baseUrl());
    }

    private static synchronized void startOnce() {
        if (greenMail != null) {
            return;
        }
        // the producers migrate their schemas themselves; here they exist before the app starts, from the producers'
        // own migrations in the repository (the relay claims their outbox rows, the watchdog reads their tables)
        MigrationRollback.flyway(TestDatabase.get(), "orders", "classpath:db/outbox", "classpath:db/ratelimit",
                "filesystem:../order-service/src/main/resources/db/migration").migrate();
        MigrationRollback.flyway(TestDatabase.get(), "payments", "classpath:db/outbox", "classpath:db/ratelimit",
                "filesystem:../payment-service/src/main/resources/db/migration").migrate();
        try {
            greenMail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        greenMail.start();
        smtp = new SmtpSwitch(greenMail.getSmtp().getPort());
        wireMock = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wireMock.start();
        // the happy answers; tests add more specific stubs with a higher priority
        wireMock.stubFor(post(urlPathMatching("/v21.0/" + PHONE_NUMBER_ID + "/messages")).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                                + "\"messages\":[{\"id\":\"wamid.TEST\"}]}")));
        wireMock.stubFor(post(urlEqualTo("/internal/payment-events")).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"eventId\":\"x\",\"outcome\":\"APPLIED\"}")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        // shared by later boots in this JVM; the JVM's exit ends the in-process servers
    }
}
