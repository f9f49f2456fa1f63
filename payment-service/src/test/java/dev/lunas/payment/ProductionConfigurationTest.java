package dev.lunas.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.common.security.RequiredSecrets;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Midtrans server key and the service's credentials have defaults only in dev and test (issue 8, defect 10):
 * any other profile, prod or staging, refuses to start naming every missing variable at once.
 */
class ProductionConfigurationTest {

    @Test
    void defect10_noProfileButDevAndTestStartsWithoutRealSecrets() throws IOException {
        for (String profile : new String[] {"prod", "staging"}) {
            SmallRyeConfig config = config(profile, Map.of());

            assertThat(RequiredSecrets.problems(required(config), property -> config.getOptionalValue(property, String.class)))
                    .as(profile).containsExactly(
                            "LUNAS_PAYMENTS_TOKEN is not set",
                            "LUNAS_RESULT_SIGNING_KEY is not set",
                            "MIDTRANS_SERVER_KEY is not set");
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

    /** The service's own list of the secrets it needs (lunas.secrets.required.*). */
    private static Map<String, String> required(SmallRyeConfig config) {
        Map<String, String> required = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("lunas.secrets.required.")) {
                required.put(name.substring("lunas.secrets.required.".length()), config.getValue(name, String.class));
            }
        }
        return required;
    }

    /** application.properties and common's shared settings under a profile, with these variables and nothing of this JVM's. */
    private static SmallRyeConfig config(String profile, Map<String, String> environment) throws IOException {
        URL properties = ProductionConfigurationTest.class.getClassLoader().getResource("application.properties");
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withProfile(profile)
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new PropertiesConfigSource(environment, "environment", 300));
        for (URL shared : Collections.list(ProductionConfigurationTest.class.getClassLoader()
                .getResources("META-INF/microprofile-config.properties"))) {
            if (shared.toString().contains("common")) {
                builder.withSources(new PropertiesConfigSource(shared, 100));
            }
        }
        return builder.build();
    }
}
