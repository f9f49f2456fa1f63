package dev.lunas.order;

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
 * Issue 8, defect 10: order-service's credentials have development values in dev and test only; a staging or
 * production start without them names each missing variable.
 */
class ProductionConfigurationTest {

    private static final Map<String, String> SECRETS = Map.of(
            "lunas.api.guards.relay.token", "LUNAS_RELAY_TOKEN",
            "lunas.api.guards.entitlements.token", "LUNAS_ENTITLEMENTS_TOKEN",
            "lunas.order.payments-token", "LUNAS_PAYMENTS_TOKEN");

    @Test
    void defect10_stagingAndProdHaveNoDevelopmentCredentials() throws IOException {
        for (String profile : new String[] {"prod", "staging"}) {
            SmallRyeConfig config = config(profile, Map.of());
            SECRETS.forEach((property, variable) ->
                    assertThatThrownBy(() -> config.getValue(property, String.class)).hasMessageContaining(variable));
        }
    }

    @Test
    void devAndTestHaveTheirOwnValuesAndTheEnvironmentWins() throws IOException {
        assertThat(config("dev", Map.of()).getValue("lunas.api.guards.relay.token", String.class)).isEqualTo("dev-relay-token");
        assertThat(config("test", Map.of()).getValue("lunas.api.guards.relay.token", String.class)).isEqualTo("test-relay-token");
        assertThat(config("staging", Map.of("LUNAS_RELAY_TOKEN", "k9Vq2xR7mT4pL8sW1nB6"))
                .getValue("lunas.api.guards.relay.token", String.class)).isEqualTo("k9Vq2xR7mT4pL8sW1nB6");
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
