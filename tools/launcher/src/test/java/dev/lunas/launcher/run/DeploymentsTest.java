package dev.lunas.launcher.run;

import static dev.lunas.launcher.run.RepositoryFiles.httpPort;
import static dev.lunas.launcher.run.RepositoryFiles.list;
import static dev.lunas.launcher.run.RepositoryFiles.map;
import static dev.lunas.launcher.run.RepositoryFiles.repository;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.http.LocalHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml: each service gets every variable {@link ServiceVariable} says deployments give it and no
 * Lunas or Quarkus setting it does not take (the Kubernetes manifests get the same check in ManifestTest); the
 * database is healthy only once it answers over TCP; every service has a readiness health check that really tells
 * 200 from anything else, a restart policy, and starts after what it needs is healthy.
 */
class DeploymentsTest {

    private static final Path REPOSITORY = repository();
    private static Map<String, Object> compose;
    private static Map<String, Object> services;

    @BeforeAll
    static void readCompose() throws IOException {
        compose = RepositoryFiles.load(REPOSITORY.resolve("docker-compose.yml")).get(0);
        services = map(compose.get("services"));
    }

    @Test
    void dockerComposeGivesEachServiceItsVariablesAndNoOthers() {
        for (Service service : Service.values()) {
            Set<String> given = composeEnvironment(map(services.get(service.moduleName())).get("environment"));

            assertThat(given).as("docker-compose.yml, %s: its variables", service).containsAll(ManifestTest.deployed(service));
            assertThat(ManifestTest.notTaken(service, given)).as("docker-compose.yml, %s: variables it does not take", service).isEmpty();
        }
    }

    @Test
    void theDatabaseIsHealthyOnlyWhenItAnswersOverTcp() {
        Map<String, Object> postgres = map(services.get("postgres"));
        List<Object> test = List.copyOf(list(map(postgres.get("healthcheck")).get("test")));
        // over the socket, pg_isready reports the entrypoint's socket-only init server as ready
        assertThat(test).as("postgres health check").startsWith((Object) "CMD", "pg_isready").containsSequence((Object) "-h", "127.0.0.1");
        assertThat(postgres.get("restart")).as("postgres restart policy").isEqualTo("unless-stopped");
    }

    @Test
    void everyServiceChecksItsReadinessOverHttpAndRestarts() throws Exception {
        for (Service service : Service.values()) {
            Map<String, Object> definition = map(services.get(service.moduleName()));
            String where = "docker-compose.yml, " + service;
            assertThat(definition.get("restart")).as("%s: restart policy", where).isEqualTo("unless-stopped");
            Map<String, Object> environment = map(definition.get("environment"));
            assertThat(environment.get("QUARKUS_HTTP_PORT")).as("%s: the port its check probes", where)
                    .isEqualTo(String.valueOf(httpPort(service)));

            List<Object> test = List.copyOf(list(map(definition.get("healthcheck")).get("test")));
            assertThat(test).as("%s: health check", where).hasSize(4).startsWith((Object) "CMD", "bash", "-c");
            // compose writes a literal $ as $$; the container's environment gives the variables
            String script = ((String) test.get(3)).replace("$$", "$");

            try (LocalHttpServer ready = health(200); LocalHttpServer unready = health(503)) {
                assertThat(check(script, ready.port())).as("%s: healthy when /q/health/ready answers 200", where).isZero();
                assertThat(check(script, unready.port())).as("%s: unhealthy on 503", where).isNotZero();
            }
            assertThat(check(script, closedPort())).as("%s: unhealthy when nothing listens", where).isNotZero();
        }
    }

    @Test
    void servicesStartInDependencyOrder() {
        assertThat(dependencies("payment-service")).containsExactly("postgres healthy");
        // checkout calls payment-service
        assertThat(dependencies("order-service")).containsExactlyInAnyOrder("postgres healthy", "payment-service healthy");
        // the relay reads the outbox tables the others migrate and sends payment results to order-service
        assertThat(dependencies("notification-service")).containsExactlyInAnyOrder("postgres healthy",
                "order-service healthy", "payment-service healthy", "mailpit started");
    }

    private static Set<String> dependencies(String service) {
        Set<String> dependencies = new TreeSet<>();
        map(map(services.get(service)).get("depends_on")).forEach((name, condition) ->
                dependencies.add(name + " " + String.valueOf(map(condition).get("condition")).replace("service_", "")));
        return dependencies;
    }

    /** A server whose /q/health/ready answers {@code status} (and anything else 404). */
    private static LocalHttpServer health(int status) {
        return LocalHttpServer.start("health " + status, 0, exchange -> {
            int answer = exchange.getRequestURI().getPath().equals("/q/health/ready") ? status : 404;
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
    }

    /** Runs the check as the container would, with bash and QUARKUS_HTTP_PORT; its exit status. */
    private static int check(String script, int port) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the health check ends").isTrue();
        return process.exitValue();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
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
}
