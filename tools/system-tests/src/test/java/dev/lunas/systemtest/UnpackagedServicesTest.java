package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunas.systemtest.harness.HarnessException;
import dev.lunas.systemtest.harness.SystemSettings;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running the module before the services are packaged says which ones are missing and how to build them. */
@Order(0)
class UnpackagedServicesTest {

    @Test
    void aMissingServiceJarIsNamedWithTheCommandThatBuildsIt(@TempDir Path emptyCheckout) {
        String repository = System.getProperty(SystemSettings.REPOSITORY_PROPERTY);
        System.setProperty(SystemSettings.REPOSITORY_PROPERTY, emptyCheckout.toString());
        try {
            assertThatThrownBy(() -> SystemUnderTest.start(SystemSettings.fromSystemProperties().build()))
                    .isInstanceOf(HarnessException.class)
                    .hasMessageContaining("Not packaged: order-service, payment-service, notification-service")
                    .hasMessageContaining("./mvnw -B -q package -DskipTests -pl order-service,payment-service,notification-service");
        } finally {
            if (repository == null) {
                System.clearProperty(SystemSettings.REPOSITORY_PROPERTY);
            } else {
                System.setProperty(SystemSettings.REPOSITORY_PROPERTY, repository);
            }
        }
    }
}
