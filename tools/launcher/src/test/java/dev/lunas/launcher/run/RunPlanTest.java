package dev.lunas.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunPlanTest {

    @Test
    void withNothingConfiguredEverythingRunsLocallyAndIsWiredTogether() {
        RunPlan plan = RunPlan.from(Map.of());

        assertThat(plan.embeddedDatabase()).isTrue();
        assertThat(plan.midtransSimulator()).isTrue();
        assertThat(plan.mailSink()).isTrue();
        assertThat(plan.whatsAppSink()).isTrue();
        assertThat(plan.passedThrough()).isEmpty();
        assertThat(plan.serviceEnvironment()).containsAllEntriesOf(Map.ofEntries(
                Map.entry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:55432/lunas"),
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:55432/lunas"),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", "postgres"),
                Map.entry("ORDER_SERVICE_URL", "http://localhost:8081"),
                Map.entry("PAYMENT_SERVICE_URL", "http://localhost:8082"),
                Map.entry("MIDTRANS_SERVER_KEY", "SB-Mid-server-lunas-local"),
                Map.entry("MIDTRANS_SNAP_BASE_URL", "http://localhost:8090"),
                Map.entry("MIDTRANS_API_BASE_URL", "http://localhost:8090"),
                Map.entry("QUARKUS_MAILER_HOST", "localhost"),
                Map.entry("QUARKUS_MAILER_PORT", "2525"),
                Map.entry("QUARKUS_MAILER_MOCK", "false"),
                Map.entry("WHATSAPP_API_URL", "http://localhost:8025"),
                Map.entry("WHATSAPP_PHONE_NUMBER_ID", "100000000000001"),
                Map.entry("STOREFRONT_ORIGIN", "http://localhost:3000")));
        assertThat(plan.serviceEnvironment()).containsKeys("QUARKUS_MAILER_FROM", "WHATSAPP_TOKEN", "COURSE_ACCESS_URL",
                "SUPPORT_WHATSAPP_URL", "ALERT_EMAIL", "MIDTRANS_CLIENT_KEY");
        assertThat(plan.serviceJvmOptions()).containsExactly("-Xmx256m");
        assertThat(plan.startTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(plan.duplicateRate()).isEqualTo(0.1);
    }

    @Test
    void aRunBesideTheLocalOneIsWiredToItsOwnFreePorts() {
        Ports ports = Ports.free();
        RunPlan plan = RunPlan.from(Map.of(), ports).withServiceEnvironment(Map.of("LUNAS_NOTIFICATION_QUEUE_BATCH_SIZE", "16",
                "ORDER_SERVICE_URL", "http://127.0.0.1:" + ports.orderService()));

        assertThat(List.of(ports.orderService(), ports.paymentService(), ports.notificationService(), ports.midtransSimulator(),
                ports.messages(), ports.smtp(), ports.postgres(), ports.storefront())).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(List.of(8081, 8082, 8083, 8090, 8025, 2525, 55432, 3000));
        assertThat(plan.ports()).isEqualTo(ports);
        assertThat(plan.serviceEnvironment()).containsAllEntriesOf(Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + ports.postgres() + "/lunas",
                "PAYMENT_SERVICE_URL", "http://localhost:" + ports.paymentService(),
                "MIDTRANS_SNAP_BASE_URL", "http://localhost:" + ports.midtransSimulator(),
                "QUARKUS_MAILER_PORT", String.valueOf(ports.smtp()),
                "WHATSAPP_API_URL", "http://localhost:" + ports.messages(),
                "LUNAS_NOTIFICATION_QUEUE_BATCH_SIZE", "16",
                "ORDER_SERVICE_URL", "http://127.0.0.1:" + ports.orderService()));
        assertThat(plan.database().jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + ports.postgres() + "/lunas");
        assertThat(ports.service(Service.NOTIFICATION)).isEqualTo(ports.notificationService());
        assertThat(RunPlan.from(Map.of()).ports()).isEqualTo(Ports.LOCAL_RUN);
    }

    @Test
    void theDemoStorefrontIsTheStorefrontUnlessTheEnvironmentNamesTheRealOne() {
        RunPlan local = RunPlan.from(Map.of());
        assertThat(local.demoStorefront()).isTrue();
        assertThat(local.serviceEnvironment()).containsEntry("STOREFRONT_ORIGIN", "http://localhost:3000")
                .containsEntry("COURSE_ACCESS_URL", "http://localhost:3000/courses");
        assertThat(Banner.text(local, new Workspace(Path.of("/repo")), List.of(Service.values())))
                .contains("Storefront            http://localhost:3000", "open http://localhost:3000");

        Ports ports = Ports.free();
        assertThat(RunPlan.from(Map.of(), ports).serviceEnvironment())
                .containsEntry("STOREFRONT_ORIGIN", "http://localhost:" + ports.storefront());

        RunPlan real = RunPlan.from(Map.of("STOREFRONT_ORIGIN", "http://localhost:5173"));
        assertThat(real.demoStorefront()).isFalse();
        assertThat(real.settings()).containsEntry("STOREFRONT_ORIGIN", "http://localhost:5173")
                .containsEntry("COURSE_ACCESS_URL", "http://localhost:5173/courses");
        assertThat(real.passedThrough()).anySatisfy(line -> assertThat(line).startsWith("Storefront: http://localhost:5173"));
        assertThat(Banner.text(real, new Workspace(Path.of("/repo")), List.of(Service.values()))).doesNotContain("open http://");
    }

    @Test
    void aRunBesideTheLocalOneKeepsItsStateInItsOwnFolder() {
        Path repository = Path.of("/srv/lunas");
        Workspace bench = new Workspace(repository, repository.resolve(".lunas/bench"));

        assertThat(new Workspace(repository).postgresData()).isEqualTo(Path.of("/srv/lunas/.lunas/postgres"));
        assertThat(bench.postgresData()).isEqualTo(Path.of("/srv/lunas/.lunas/bench/postgres"));
        assertThat(bench.lockFile()).isEqualTo(Path.of("/srv/lunas/.lunas/bench/launcher.lock"));
        assertThat(bench.serviceJar(Service.ORDER)).isEqualTo(Path.of("/srv/lunas/order-service/target/quarkus-app/quarkus-run.jar"));
    }

    @Test
    void aConfiguredDatabaseIsUsedAndNeverPrintedWithItsPassword() {
        RunPlan plan = RunPlan.from(Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://lunas:s3cret@db.internal:5432/lunas",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://db.internal:5432/lunas?user=lunas&password=s3cret"));

        assertThat(plan.embeddedDatabase()).isFalse();
        assertThat(plan.serviceEnvironment()).doesNotContainKeys("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL",
                "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
        assertThat(plan.passedThrough()).singleElement().asString()
                .contains("jdbc:postgresql://db.internal:5432/lunas").doesNotContain("s3cret");
    }

    @Test
    void halfADatabaseConfigurationIsRefused() {
        assertThatThrownBy(() -> RunPlan.from(Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://db/lunas")))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("QUARKUS_DATASOURCE_JDBC_URL");
    }

    @Test
    void aMidtransServerKeySwitchesTheSimulatorOffWithoutShowingTheKey() {
        RunPlan plan = RunPlan.from(Map.of("MIDTRANS_SERVER_KEY", "SB-Mid-server-REAL",
                "MIDTRANS_SNAP_BASE_URL", "https://app.sandbox.midtrans.com"));

        assertThat(plan.midtransSimulator()).isFalse();
        assertThat(plan.serviceEnvironment()).doesNotContainKeys("MIDTRANS_SERVER_KEY", "MIDTRANS_SNAP_BASE_URL", "MIDTRANS_API_BASE_URL");
        assertThat(plan.passedThrough()).singleElement().asString()
                .contains("https://app.sandbox.midtrans.com").doesNotContain("SB-Mid-server-REAL");
    }

    @Test
    void midtransUrlsWithoutAServerKeyAreRefused() {
        assertThatThrownBy(() -> RunPlan.from(Map.of("MIDTRANS_API_BASE_URL", "https://api.sandbox.midtrans.com")))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("MIDTRANS_SERVER_KEY");
    }

    @Test
    void realMailAndWhatsAppSettingsPassThrough() {
        RunPlan plan = RunPlan.from(Map.of("QUARKUS_MAILER_HOST", "smtp.example.com", "QUARKUS_MAILER_PORT", "587",
                "WHATSAPP_API_URL", "https://graph.facebook.com/v21.0"));

        assertThat(plan.mailSink()).isFalse();
        assertThat(plan.whatsAppSink()).isFalse();
        assertThat(plan.serviceEnvironment()).doesNotContainKeys("QUARKUS_MAILER_HOST", "QUARKUS_MAILER_PORT", "WHATSAPP_API_URL",
                "WHATSAPP_TOKEN", "ALERT_EMAIL");
        // the dev profile mocks the mailer; a real SMTP server must really be used
        assertThat(plan.serviceEnvironment()).containsEntry("QUARKUS_MAILER_MOCK", "false");
        assertThat(plan.passedThrough()).hasSize(2).anySatisfy(line -> assertThat(line).contains("smtp.example.com:587"));
    }

    @Test
    void launcherSettingsAreReadAndChecked() {
        RunPlan plan = RunPlan.from(Map.of("LUNAS_SERVICE_JAVA_OPTS", " -Xmx512m  -XX:+UseSerialGC ",
                "LUNAS_START_TIMEOUT_SECONDS", "300", "LUNAS_MIDTRANS_DUPLICATE_RATE", "0"));

        assertThat(plan.serviceJvmOptions()).containsExactly("-Xmx512m", "-XX:+UseSerialGC");
        assertThat(plan.startTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(plan.duplicateRate()).isZero();
        assertThatThrownBy(() -> RunPlan.from(Map.of("LUNAS_START_TIMEOUT_SECONDS", "soon"))).isInstanceOf(LaunchException.class);
        assertThatThrownBy(() -> RunPlan.from(Map.of("LUNAS_MIDTRANS_DUPLICATE_RATE", "2"))).isInstanceOf(LaunchException.class);
    }
}
