package dev.lunas.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceVariableTest {

    @Test
    void eachServiceIsGivenOnlyTheSettingsItTakes() {
        RunPlan plan = RunPlan.from(Map.of("LUNAS_RELAY_TOKEN", "relay-token-from-the-environment"));

        assertThat(plan.environmentOf(Service.NOTIFICATION))
                .containsEntry("ORDER_SERVICE_URL", "http://localhost:8081")
                .containsEntry("LUNAS_RELAY_TOKEN", "relay-token-from-the-environment")
                .containsKeys("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_MAILER_HOST", "WHATSAPP_API_URL")
                .doesNotContainKeys("PAYMENT_SERVICE_URL", "MIDTRANS_SERVER_KEY", "STOREFRONT_ORIGIN");
        assertThat(plan.environmentOf(Service.PAYMENT))
                .containsKeys("MIDTRANS_SERVER_KEY", "MIDTRANS_SNAP_BASE_URL", "STOREFRONT_ORIGIN")
                .doesNotContainKeys("LUNAS_RELAY_TOKEN", "ORDER_SERVICE_URL", "QUARKUS_MAILER_HOST");
        assertThat(plan.environmentOf(Service.ORDER))
                .containsEntry("PAYMENT_SERVICE_URL", "http://localhost:8082")
                .containsKey("LUNAS_RELAY_TOKEN")
                .doesNotContainKeys("WHATSAPP_TOKEN", "MIDTRANS_SERVER_KEY");
    }

    @Test
    void aSettingNoServiceTakesIsRefused() {
        assertThatThrownBy(() -> RunPlan.from(Map.of()).withServiceEnvironment(Map.of("LUNAS_NOTIFICATION_QUEUE_BATCH", "16")))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("LUNAS_NOTIFICATION_QUEUE_BATCH is not a variable any service takes");
        assertThatThrownBy(() -> ServiceVariable.requireTakenBy(Service.ORDER, "LUNAS_NOTIFICATION_QUEUE_LEASE"))
                .isInstanceOf(LaunchException.class);
        ServiceVariable.requireTakenBy(Service.NOTIFICATION, "LUNAS_NOTIFICATION_QUEUE_LEASE");
        ServiceVariable.requireTakenBy(Service.NOTIFICATION, "LD_PRELOAD");
    }
}
