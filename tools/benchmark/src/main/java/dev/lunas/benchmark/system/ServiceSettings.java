package dev.lunas.benchmark.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A setting of a packaged service as it runs under the launcher (profile {@code dev}): the environment variable
 * first, then {@code %dev.}, then the plain key of the {@code application.properties} inside the service's jar.
 */
public final class ServiceSettings {

    private ServiceSettings() {
    }

    /** The reactive pool size: how many database connections the service uses at most. */
    public static int reactivePoolSize(Path serviceRunJar, Map<String, String> environment) {
        String fromEnvironment = environment.get("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Integer.parseInt(fromEnvironment.strip());
        }
        Properties properties = applicationProperties(serviceRunJar);
        String value = properties.getProperty("%dev.quarkus.datasource.reactive.max-size",
                properties.getProperty("quarkus.datasource.reactive.max-size", "20"));
        return Integer.parseInt(value.strip());
    }

    static Properties applicationProperties(Path serviceRunJar) {
        Path app = serviceRunJar.getParent().resolve("app");
        try (Stream<Path> jars = Files.list(app)) {
            Path jar = jars.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No application jar in " + app));
            try (JarFile file = new JarFile(jar.toFile())) {
                Properties properties = new Properties();
                var entry = file.getEntry("application.properties");
                if (entry != null) {
                    try (InputStream in = file.getInputStream(entry)) {
                        properties.load(in);
                    }
                }
                return properties;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the settings packaged in " + app, e);
        }
    }
}
