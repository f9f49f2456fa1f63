package dev.lunas.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 8, defect 10: outside dev and test, a missing, public or short secret stops the start, all named at once. */
class RequiredSecretsTest {

    private static final Map<String, String> REQUIRED = Map.of(
            "LUNAS_RELAY_TOKEN", "lunas.api.guards.relay.token",
            "LUNAS_ENTITLEMENTS_TOKEN", "lunas.api.guards.entitlements.token",
            "LUNAS_PAYMENTS_TOKEN", "lunas.order.payments-token",
            "LUNAS_RESULT_SIGNING_KEY", "lunas.payment-results.signing-key");

    @Test
    void defect10_everyMissingPublicOrShortSecretIsNamed() {
        Map<String, String> values = Map.of(
                "lunas.api.guards.relay.token", "dev-relay-token",
                "lunas.order.payments-token", "short",
                "lunas.payment-results.signing-key", "SB-Mid-server-lunas-local-placeholder");

        assertThat(RequiredSecrets.problems(REQUIRED, property -> Optional.ofNullable(values.get(property))))
                .containsExactly(
                        "LUNAS_ENTITLEMENTS_TOKEN is not set",
                        "LUNAS_PAYMENTS_TOKEN is shorter than 16 characters",
                        "LUNAS_RELAY_TOKEN is a public development value",
                        "LUNAS_RESULT_SIGNING_KEY is a public development value");
    }

    @Test
    void realSecretsPass() {
        assertThat(RequiredSecrets.problems(REQUIRED, property -> Optional.of("k9Vq2xR7mT4pL8sW1nB6"))).isEmpty();
    }
}
