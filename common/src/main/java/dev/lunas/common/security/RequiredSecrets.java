package dev.lunas.common.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.smallrye.config.ConfigMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start a service outside the dev and test profiles while one of its secrets is missing, a
 * public development default, or too short to be a secret; the failure names every such variable at once.
 * Which secrets a service needs is configured as {@code lunas.secrets.required.<VARIABLE>=<property>}:
 * the environment variable an operator sets, and the property that carries it.
 */
@ApplicationScoped
public class RequiredSecrets {

    /** Shorter than this is a password, not a secret. */
    static final int MIN_LENGTH = 16;
    private static final String ADMIN_TOKEN = "lunas.api.admin-token";
    private static final List<String> PUBLIC_MARKERS = List.of("dev-", "test-", "placeholder", "change-me");

    @ConfigMapping(prefix = "lunas.secrets")
    public interface Settings {
        /** Environment variable → the property that carries it. */
        Map<String, String> required();
    }

    private final Settings settings;
    private final Config config;

    public RequiredSecrets(Settings settings, Config config) {
        this.settings = settings;
        this.config = config;
    }

    void check(@Observes StartupEvent started) {
        List<String> profiles = ConfigUtils.getProfiles();
        if (profiles.contains("dev") || profiles.contains("test")) {
            return;
        }
        Function<String, Optional<String>> lookup = property -> config.getOptionalValue(property, String.class);
        List<String> problems = problems(settings.required(), lookup);
        // the admin token is optional (no token switches the admin API off), but a set one must be real
        if (lookup.apply(ADMIN_TOKEN).filter(token -> !token.isBlank()).isPresent()) {
            problems.addAll(problems(Map.of("LUNAS_ADMIN_TOKEN", ADMIN_TOKEN), lookup));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start in profile " + profiles + " without real secrets: "
                    + String.join("; ", problems)
                    + ". Development defaults exist only in the dev and test profiles.");
        }
    }

    /** One line per variable that is missing, a public default or too short; empty when all are real. */
    public static List<String> problems(Map<String, String> required, Function<String, Optional<String>> lookup) {
        List<String> problems = new ArrayList<>();
        new TreeMap<>(required).forEach((variable, property) -> {
            String value = lookup.apply(property).map(String::trim).orElse("");
            if (value.isEmpty()) {
                problems.add(variable + " is not set");
            } else if (isPublic(value)) {
                problems.add(variable + " is a public development value");
            } else if (value.length() < MIN_LENGTH) {
                problems.add(variable + " is shorter than " + MIN_LENGTH + " characters");
            }
        });
        return problems;
    }

    private static boolean isPublic(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return PUBLIC_MARKERS.stream().anyMatch(lower::contains);
    }
}
