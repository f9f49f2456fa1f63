package dev.lunas.order;

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
 * Issue 8, defect 10: order-service's credentials have development values in dev and test only; a staging or
 * production start without them, or with a public development value, names every such variable at once.
 */
class ProductionConfigurationTest {

    @Test
    void defect10_stagingAndProdNameEveryMissingSecretAtOnce() throws IOException {
        for (String profile : new String[] {"prod", "staging"}) {
            SmallRyeConfig config = config(profile, Map.of());

            assertThat(RequiredSecrets.problems(required(config), property -> config.getOptionalValue(property, String.class)))
                    .as(profile).containsExactly(
                            "LUNAS_ENTITLEMENTS_TOKEN is not set",
                            "LUNAS_PAYMENTS_TOKEN is not set",
                            "LUNAS_RELAY_TOKEN is not set",
                            "LUNAS_RESULT_SIGNING_KEY is not set");
        }
    }

    @Test
    void defect10_theDevelopmentValuesAreRefusedOutsideDevAndTest() throws IOException {
        SmallRyeConfig staging = config("staging", Map.of("LUNAS_RELAY_TOKEN", "dev-relay-token",
                "LUNAS_ENTITLEMENTS_TOKEN", "k9Vq2xR7mT4pL8sW1nB6", "LUNAS_PAYMENTS_TOKEN", "p4Xz8Lq2Wm7Rt5Ny3Kb9",
                "LUNAS_RESULT_SIGNING_KEY", "s6Hd1Fj8Ke3Gm9Pq2Vw5"));

        assertThat(RequiredSecrets.problems(required(staging), property -> staging.getOptionalValue(property, String.class)))
                .containsExactly("LUNAS_RELAY_TOKEN is a public development value");
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

    @Test
    void devAndTestHaveTheirOwnValuesAndTheEnvironmentWins() throws IOException {
        assertThat(config("dev", Map.of()).getValue("lunas.api.guards.relay.token", String.class)).isEqualTo("dev-relay-token");
        assertThat(config("test", Map.of()).getValue("lunas.api.guards.relay.token", String.class)).isEqualTo("test-relay-token");
        assertThat(config("staging", Map.of("LUNAS_RELAY_TOKEN", "k9Vq2xR7mT4pL8sW1nB6"))
                .getValue("lunas.api.guards.relay.token", String.class)).isEqualTo("k9Vq2xR7mT4pL8sW1nB6");
    }

    /** application.properties and common's shared settings under a profile, with these variables and nothing of this JVM's. */
    static SmallRyeConfig config(String profile, Map<String, String> environment) throws IOException {
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
