package dev.lunas.launcher.run;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.Yaml;

/** The repository's own files as the deployment and monitoring tests read them: the root, and YAML as plain maps. */
final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /** The checkout: the module's folder is tools/launcher, the repository the folder above with order-service in it. */
    static Path repository() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("order-service").resolve("pom.xml"))) {
                return folder;
            }
        }
        throw new IllegalStateException("No Lunas repository above " + Path.of("").toAbsolutePath());
    }

    /** Every non-empty YAML document of the file, each as a map (empty when a document is not a mapping). */
    static List<Map<String, Object>> load(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : new Yaml().loadAll(reader)) {
                if (document != null) {
                    documents.add(map(document));
                }
            }
        }
        return documents;
    }

    /** The port the service listens on in a container or a deployment: its quarkus.http.port. */
    static int httpPort(Service service) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(repository().resolve(service.moduleName())
                .resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> ? (Map<String, Object>) node : Map.of();
    }

    static List<?> list(Object node) {
        return node instanceof List<?> items ? items : List.of();
    }
}
