package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.http.PortProbe;
import dev.lunas.systemtest.harness.Service;
import dev.lunas.systemtest.harness.SystemSettings;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        Path repository = SystemSettings.fromSystemProperties().repository();
        for (Service service : Service.values()) {
            Path log = logs.resolve(service.moduleName() + ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-jar",
                    repository.resolve(service.moduleName()).resolve("target/quarkus-app/quarkus-run.jar").toString()));
            ProcessBuilder start = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            start.environment().clear();
            start.environment().putAll(SystemUnderTest.baseEnvironment("staging", system.database()));
            start.environment().putAll(Map.of(
                    "QUARKUS_HTTP_PORT", String.valueOf(PortProbe.freeListenPort()),
                    "ORDER_SERVICE_URL", system.baseUrl(Service.ORDER).toString(),
                    "PAYMENT_SERVICE_URL", system.baseUrl(Service.PAYMENT).toString()));
            Process process = start.start();
            boolean ended = process.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String output = read(log);

            assertThat(ended).as("%s refused to start within 2 minutes:%n%s", service, tail(output)).isTrue();
            assertThat(process.exitValue()).as("%s exit code", service).isNotZero();
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
