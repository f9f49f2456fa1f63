package dev.lunas.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Midtrans server key and the service's credentials have defaults only in dev and test (issue 8, defect 10):
 * any other profile, prod or staging, stops at start naming the missing variable.
 */
class ProductionConfigurationTest {

    @Test
    void defect10_noProfileButDevAndTestStartsWithoutRealSecrets() throws IOException {
        for (String profile : new String[] {"prod", "staging"}) {
            SmallRyeConfig config = config(profile, Map.of());

            assertThatThrownBy(() -> config.getValue("lunas.payment.midtrans.server-key", String.class))
                    .hasMessageContaining("MIDTRANS_SERVER_KEY");
            assertThatThrownBy(() -> config.getValue("lunas.api.guards.payments.token", String.class))
                    .hasMessageContaining("LUNAS_PAYMENTS_TOKEN");
        }
    }

    @Test
    void prodTakesTheKeyAndTheUrlsFromTheEnvironment() throws IOException {
        SmallRyeConfig prod = config("prod", Map.of(
                "MIDTRANS_SERVER_KEY", "Mid-server-live",
                "MIDTRANS_SNAP_BASE_URL", "https://app.midtrans.com",
                "STOREFRONT_ORIGIN", "https://shop.example.com"));

        assertThat(prod.getValue("lunas.payment.midtrans.server-key", String.class)).isEqualTo("Mid-server-live");
        assertThat(prod.getValue("quarkus.rest-client.midtrans-snap.url", String.class)).isEqualTo("https://app.midtrans.com");
        assertThat(prod.getValue("quarkus.rest-client.midtrans-api.url", String.class)).isEqualTo("https://api.sandbox.midtrans.com");
        assertThat(prod.getValue("lunas.payment.snap.finish-url", String.class)).isEqualTo("https://shop.example.com/payment/finish");
    }

    @Test
    void inDevAPlaceholderKeyLetsTheServiceStart() throws IOException {
        assertThat(config("dev", Map.of()).getValue("lunas.payment.midtrans.server-key", String.class))
                .isEqualTo("SB-Mid-server-lunas-local-placeholder");
    }

    /** application.properties under a profile, with the given environment variables and nothing of this JVM's. */
    private static SmallRyeConfig config(String profile, Map<String, String> environment) throws IOException {
        URL properties = ProductionConfigurationTest.class.getClassLoader().getResource("application.properties");
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withProfile(profile)
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .build();
    }
}
