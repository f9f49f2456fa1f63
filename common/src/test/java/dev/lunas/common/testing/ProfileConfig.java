package dev.lunas.common.testing;

import dev.lunas.common.security.RequiredSecrets;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A service's configuration as it would be under a profile: its application.properties and common's shared
 * settings, with the given environment variables and nothing of the test JVM's, for tests of what a
 * deployment in that profile gets.
 */
public final class ProfileConfig {

    private static final String REQUIRED = "lunas.secrets.required.";

    private ProfileConfig() {
    }

    public static SmallRyeConfig of(String profile, Map<String, String> environment) {
        ClassLoader classes = ProfileConfig.class.getClassLoader();
        try {
            SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withProfile(profile)
                    .withSources(new PropertiesConfigSource(classes.getResource("application.properties"), 250))
                    .withSources(new PropertiesConfigSource(environment, "environment", 300));
            for (URL shared : Collections.list(classes.getResources("META-INF/microprofile-config.properties"))) {
                if (shared.toString().contains("common")) {
                    builder.withSources(new PropertiesConfigSource(shared, 100));
                }
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What RequiredSecrets would refuse at start under this configuration, one line per secret. */
    public static List<String> secretProblems(SmallRyeConfig config) {
        Map<String, String> required = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(REQUIRED)) {
                required.put(name.substring(REQUIRED.length()), config.getValue(name, String.class));
            }
        }
        return RequiredSecrets.problems(required, property -> config.getOptionalValue(property, String.class));
    }
}
