package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.http.PortProbe;
import dev.lunas.launcher.run.Service;
import dev.lunas.launcher.run.ServiceProcess;
import dev.lunas.launcher.run.ServiceVariable;
import dev.lunas.launcher.run.Workspace;
import dev.lunas.systemtest.harness.SystemSettings;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, defect 10: a packaged service started in a profile other than dev or test (here {@code staging},
 * with a reachable database) without its secrets refuses to start, and names every missing one at once.
 */
@Order(10)
@ExtendWith(SharedSystem.class)
class RequiredSecretsTest {

    private static final Map<Service, List<String>> SECRETS = Map.of(
            Service.ORDER, List.of("LUNAS_ENTITLEMENTS_TOKEN", "LUNAS_PAYMENTS_TOKEN", "LUNAS_RELAY_TOKEN", "LUNAS_RESULT_SIGNING_KEY"),
            Service.PAYMENT, List.of("LUNAS_PAYMENTS_TOKEN", "LUNAS_RESULT_SIGNING_KEY", "MIDTRANS_SERVER_KEY"),
            Service.NOTIFICATION, List.of("LUNAS_RELAY_TOKEN"));

    @Test
    void defect10_aStagingStartWithoutSecretsNamesEachOne(SystemUnderTest system, @TempDir Path logs) throws Exception {
        Workspace workspace = new Workspace(SystemSettings.fromSystemProperties().repository(), logs);
        ServiceProcess.Options staging = new ServiceProcess.Options("staging", false, List.of("-Xmx128m"), Optional.empty(),
                ServiceProcess.LogFiles.ONE_FILE, Duration.ofMillis(250));
        Map<String, String> settings = new LinkedHashMap<>(system.database().settings());
        settings.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        settings.put("ORDER_SERVICE_URL", system.baseUrl(Service.ORDER).toString());
        settings.put("PAYMENT_SERVICE_URL", system.baseUrl(Service.PAYMENT).toString());
        for (Service service : Service.values()) {
            ServiceProcess process = new ServiceProcess(service.moduleName(), PortProbe.freeListenPort(),
                    workspace.serviceJar(service), logs, staging);
            process.start(ServiceVariable.environment(service, settings), null, exitCode -> { });
            boolean ended = process.awaitExit(Duration.ofSeconds(120));
            if (!ended) {
                process.kill();
            }
            String output = read(process.logFile());

            assertThat(ended).as("%s refused to start within 2 minutes:%n%s", service, tail(output)).isTrue();
            assertThat(process.exitCode().orElseThrow()).as("%s exit code", service).isNotZero();
            String refusal = output.lines().filter(line -> line.contains("Refusing to start")).findFirst().orElse("");
            assertThat(refusal).as("%s says why:%n%s", service, tail(output)).contains("profile [staging]");
            for (String secret : SECRETS.get(service)) {
                assertThat(refusal).as(service + " names " + secret).contains(secret + " is not set");
            }
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static String tail(String output) {
        return output.length() <= 3000 ? output : output.substring(output.length() - 3000);
    }
}
