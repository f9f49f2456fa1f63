package dev.lunas.launcher.run;

import static dev.lunas.launcher.run.RepositoryFiles.list;
import static dev.lunas.launcher.run.RepositoryFiles.load;
import static dev.lunas.launcher.run.RepositoryFiles.map;
import static dev.lunas.launcher.run.RepositoryFiles.repository;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Kubernetes manifests (deploy/k8s) against {@link ServiceVariable}: each gives every
 * service every variable the list says deployments give it, and none gives a service a Lunas or Quarkus setting the
 * list does not say it takes. A setting added to a service and to the list then cannot be forgotten in one of them.
 */
class DeploymentsTest {

    private static final Path REPOSITORY = repository();

    @Test
    void dockerComposeGivesEachServiceItsVariablesAndNoOthers() throws IOException {
        Map<String, Object> services = map(load(REPOSITORY.resolve("docker-compose.yml")).get(0).get("services"));

        for (Service service : Service.values()) {
            Set<String> given = composeEnvironment(map(services.get(service.moduleName())).get("environment"));

            assertThat(given).as("docker-compose.yml, %s: its variables", service).containsAll(deployed(service));
            assertThat(notTaken(service, given)).as("docker-compose.yml, %s: variables it does not take", service).isEmpty();
        }
    }

    @Test
    void kubernetesGivesEachServiceItsVariablesAndNoOthers() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(REPOSITORY.resolve("deploy").resolve("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                documents.addAll(load(file));
            }
        }
        Map<String, Set<String>> configMaps = keys(documents, "ConfigMap");
        Map<String, Set<String>> secrets = keys(documents, "Secret");
        Map<String, Set<Service>> configMapReaders = new HashMap<>();

        for (Service service : Service.values()) {
            Map<String, Object> container = container(documents, service);
            Set<String> direct = new LinkedHashSet<>();
            for (Object entry : list(container.get("env"))) {
                Map<String, Object> variable = map(entry);
                direct.add((String) variable.get("name"));
                Map<String, Object> secretRef = map(map(variable.get("valueFrom")).get("secretKeyRef"));
                if (!secretRef.isEmpty()) {
                    assertThat(secrets.getOrDefault((String) secretRef.get("name"), Set.of()))
                            .as("deploy/k8s, %s: the secret key behind %s", service, variable.get("name"))
                            .contains((String) secretRef.get("key"));
                }
            }
            Set<String> given = new LinkedHashSet<>(direct);
            for (Object entry : list(container.get("envFrom"))) {
                Map<String, Object> source = map(entry);
                String configMap = (String) map(source.get("configMapRef")).get("name");
                String secret = (String) map(source.get("secretRef")).get("name");
                if (configMap != null) {
                    assertThat(configMaps).as("deploy/k8s, %s: config map %s", service, configMap).containsKey(configMap);
                    given.addAll(configMaps.get(configMap));
                    configMapReaders.computeIfAbsent(configMap, name -> new LinkedHashSet<>()).add(service);
                }
                if (secret != null) {
                    assertThat(secrets).as("deploy/k8s, %s: secret %s", service, secret).containsKey(secret);
                    given.addAll(secrets.get(secret));
                }
            }

            assertThat(given).as("deploy/k8s, %s: its variables", service).containsAll(deployed(service));
            assertThat(notTaken(service, direct)).as("deploy/k8s, %s: variables it does not take", service).isEmpty();
        }
        // a config map serves several services: each of its settings must be taken by one of them
        configMapReaders.forEach((configMap, readers) -> {
            Set<String> takenByNone = new TreeSet<>(configMaps.get(configMap));
            readers.forEach(reader -> takenByNone.retainAll(notTaken(reader, configMaps.get(configMap))));
            assertThat(takenByNone).as("deploy/k8s, config map %s: settings none of %s takes", configMap, readers).isEmpty();
        });
    }

    private static Set<String> deployed(Service service) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(ServiceVariable.values())
                .filter(variable -> variable.need() == ServiceVariable.Need.DEPLOYED && variable.takenBy(service))
                .forEach(variable -> names.add(variable.name()));
        return names;
    }

    /** The Lunas and Quarkus settings (and the other names the list knows) among {@code names} the service does not take. */
    private static Set<String> notTaken(Service service, Set<String> names) {
        Set<String> wrong = new TreeSet<>();
        for (String name : names) {
            try {
                ServiceVariable.requireTakenBy(service, name);
            } catch (LaunchException e) {
                wrong.add(name);
            }
        }
        return wrong;
    }

    /** A compose service's environment: a mapping, or a list of NAME=value. */
    private static Set<String> composeEnvironment(Object environment) {
        if (environment instanceof Map<?, ?> variables) {
            Set<String> names = new LinkedHashSet<>();
            variables.keySet().forEach(name -> names.add(String.valueOf(name)));
            return names;
        }
        Set<String> names = new LinkedHashSet<>();
        for (Object entry : list(environment)) {
            names.add(String.valueOf(entry).split("=", 2)[0]);
        }
        return names;
    }

    /** The keys of each ConfigMap (or Secret) by name: {@code data} and {@code stringData}. */
    private static Map<String, Set<String>> keys(List<Map<String, Object>> documents, String kind) {
        Map<String, Set<String>> keys = new HashMap<>();
        for (Map<String, Object> document : documents) {
            if (kind.equals(document.get("kind"))) {
                Set<String> names = new LinkedHashSet<>();
                names.addAll(map(document.get("data")).keySet());
                names.addAll(map(document.get("stringData")).keySet());
                keys.put((String) map(document.get("metadata")).get("name"), names);
            }
        }
        return keys;
    }

    /** The container of the service's Deployment. */
    private static Map<String, Object> container(List<Map<String, Object>> documents, Service service) {
        for (Map<String, Object> document : documents) {
            if ("Deployment".equals(document.get("kind")) && service.moduleName().equals(map(document.get("metadata")).get("name"))) {
                for (Object container : list(map(map(map(map(document.get("spec")).get("template")).get("spec"))).get("containers"))) {
                    if (service.moduleName().equals(map(container).get("name"))) {
                        return map(container);
                    }
                }
            }
        }
        throw new AssertionError("deploy/k8s has no Deployment with a container " + service);
    }
}
