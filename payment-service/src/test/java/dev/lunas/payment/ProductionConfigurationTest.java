package dev.lunas.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.common.testing.ProfileConfig;
import io.smallrye.config.SmallRyeConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Midtrans server key and the service's credentials have defaults only in dev and test (issue 8, defect 10):
 * any other profile, prod or staging, refuses to start naming every missing variable at once.
 */
class ProductionConfigurationTest {

    @Test
    void defect10_noProfileButDevAndTestStartsWithoutRealSecrets() {
        for (String profile : new String[] {"prod", "staging"}) {
            SmallRyeConfig config = ProfileConfig.of(profile, Map.of());

            assertThat(ProfileConfig.secretProblems(config))
                    .as(profile).containsExactly(
                            "LUNAS_PAYMENTS_TOKEN is not set",
                            "LUNAS_RESULT_SIGNING_KEY is not set",
                            "MIDTRANS_SERVER_KEY is not set");
        }
    }

    @Test
    void prodTakesTheKeyAndTheUrlsFromTheEnvironment() {
        SmallRyeConfig prod = ProfileConfig.of("prod", Map.of(
                "MIDTRANS_SERVER_KEY", "Mid-server-live",
                "MIDTRANS_SNAP_BASE_URL", "https://app.midtrans.com",
                "STOREFRONT_ORIGIN", "https://shop.example.com"));

        assertThat(prod.getValue("lunas.payment.midtrans.server-key", String.class)).isEqualTo("Mid-server-live");
        assertThat(prod.getValue("quarkus.rest-client.midtrans-snap.url", String.class)).isEqualTo("https://app.midtrans.com");
        assertThat(prod.getValue("quarkus.rest-client.midtrans-api.url", String.class)).isEqualTo("https://api.sandbox.midtrans.com");
        assertThat(prod.getValue("lunas.payment.snap.finish-url", String.class)).isEqualTo("https://shop.example.com/payment/finish");
    }

    @Test
    void inDevAPlaceholderKeyLetsTheServiceStart() {
        assertThat(ProfileConfig.of("dev", Map.of()).getValue("lunas.payment.midtrans.server-key", String.class))
                .isEqualTo("SB-Mid-server-lunas-local-placeholder");
    }
}
