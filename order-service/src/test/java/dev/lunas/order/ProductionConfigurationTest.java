package dev.lunas.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.common.testing.ProfileConfig;
import io.smallrye.config.SmallRyeConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, defect 10: order-service's credentials have development values in dev and test only; a staging or
 * production start without them, or with a public development value, names every such variable at once.
 */
class ProductionConfigurationTest {

    @Test
    void defect10_stagingAndProdNameEveryMissingSecretAtOnce() {
        for (String profile : new String[] {"prod", "staging"}) {
            SmallRyeConfig config = ProfileConfig.of(profile, Map.of());

            assertThat(ProfileConfig.secretProblems(config))
                    .as(profile).containsExactly(
                            "LUNAS_ENTITLEMENTS_TOKEN is not set",
                            "LUNAS_PAYMENTS_TOKEN is not set",
                            "LUNAS_RELAY_TOKEN is not set",
                            "LUNAS_RESULT_SIGNING_KEY is not set");
        }
    }

    @Test
    void defect10_theDevelopmentValuesAreRefusedOutsideDevAndTest() {
        SmallRyeConfig staging = ProfileConfig.of("staging", Map.of("LUNAS_RELAY_TOKEN", "dev-relay-token",
                "LUNAS_ENTITLEMENTS_TOKEN", "k9Vq2xR7mT4pL8sW1nB6", "LUNAS_PAYMENTS_TOKEN", "p4Xz8Lq2Wm7Rt5Ny3Kb9",
                "LUNAS_RESULT_SIGNING_KEY", "s6Hd1Fj8Ke3Gm9Pq2Vw5"));

        assertThat(ProfileConfig.secretProblems(staging))
                .containsExactly("LUNAS_RELAY_TOKEN is a public development value");
    }

    @Test
    void devAndTestHaveTheirOwnValuesAndTheEnvironmentWins() {
        assertThat(ProfileConfig.of("dev", Map.of()).getValue("lunas.api.guards.relay.token", String.class)).isEqualTo("dev-relay-token");
        assertThat(ProfileConfig.of("test", Map.of()).getValue("lunas.api.guards.relay.token", String.class)).isEqualTo("test-relay-token");
        assertThat(ProfileConfig.of("staging", Map.of("LUNAS_RELAY_TOKEN", "k9Vq2xR7mT4pL8sW1nB6"))
                .getValue("lunas.api.guards.relay.token", String.class)).isEqualTo("k9Vq2xR7mT4pL8sW1nB6");
    }
}
