package dev.lunas.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.http.PortProbe;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of order-service, each its own packaged JVM in the production profile, against one PostgreSQL: the
 * rate limits are counted in the database, so a client gets the limit once between the two, not once per replica,
 * also when its requests reach both at the same moment. payment-service is not running (the checkouts that pass
 * still create their orders and answer 201 with a Retry-After for the payment), so only order-service's JVMs and
 * the database are involved. The test harness is the trusted proxy and names the clients in X-Forwarded-For.
 */
@Order(0)
class RateLimitAcrossReplicasTest {

    private static final int PER_ADDRESS = 4;
    private static final int PER_EMAIL = 2;
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("'ratelimit-'yyyyMMdd-HHmmss-SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private static Database database;
    private static ServiceProcess replicaA;
    private static ServiceProcess replicaB;
    private static SystemSettings settings;

    @BeforeAll
    static void twoReplicasOnOneDatabase() {
        Assumptions.assumeTrue(System.getenv(Database.EXTERNAL_URL_VARIABLE) == null
                || System.getenv(Database.EXTERNAL_URL_VARIABLE).isBlank(),
                "needs a database of its own: an external one is shared with the other system tests");
        settings = SystemSettings.fromSystemProperties().build();
        Path jar = ServiceProcess.runJar(settings.repository, Service.ORDER).orElseThrow(() -> new HarnessException(
                "order-service is not packaged: ./mvnw -B -q package -DskipTests -pl order-service -am"));
        Path run = settings.workDirectory.resolve(RUN_NAME.format(Instant.now()));
        database = Database.start(run.resolve("postgresql.log"), false);

        Map<String, String> environment = SystemUnderTest.baseEnvironment("prod", database);
        // nothing listens there: checkouts that pass create their order and are told to ask for payment later
        environment.put("PAYMENT_SERVICE_URL", "http://127.0.0.1:" + PortProbe.freeListenPort());
        for (String secret : List.of("LUNAS_PAYMENTS_TOKEN", "LUNAS_RELAY_TOKEN", "LUNAS_ENTITLEMENTS_TOKEN",
                "LUNAS_RESULT_SIGNING_KEY")) {
            environment.put(secret, "ratelimit-" + UUID.randomUUID());
        }
        environment.put("STOREFRONT_ORIGIN", SystemUnderTest.STOREFRONT_ORIGIN);
        environment.put("COURSE_ACCESS_URL", SystemUnderTest.COURSE_ACCESS_URL);
        // the production rule set, with small limits, set the way an operator would: by environment variable
        environment.put("LUNAS_RATE_LIMIT_ENABLED", "true");
        environment.put("LUNAS_RATE_LIMIT_TRUSTED_PROXIES", "127.0.0.1");
        environment.put("LUNAS_RATE_LIMIT_RULES_CHECKOUT_ADDRESS_LIMIT", String.valueOf(PER_ADDRESS));
        environment.put("LUNAS_RATE_LIMIT_RULES_CHECKOUT_ADDRESS_WINDOW", "1h");
        environment.put("LUNAS_RATE_LIMIT_RULES_CHECKOUT_EMAIL_LIMIT", String.valueOf(PER_EMAIL));

        List<String> jvmOptions = new ArrayList<>(settings.jvmOptions);
        settings.parentWatchAgent.ifPresent(agent -> jvmOptions.add("-javaagent:" + agent + "=" + ProcessHandle.current().pid()));
        replicaA = replica(jar, run, environment, jvmOptions);
        replicaB = replica(jar, run, environment, jvmOptions);
        // one after the other: the first one migrates the schema
        replicaA.start(settings.startTimeout);
        replicaB.start(settings.startTimeout);
    }

    private static ServiceProcess replica(Path jar, Path run, Map<String, String> shared, List<String> jvmOptions) {
        int port = PortProbe.freeListenPort();
        Map<String, String> environment = new LinkedHashMap<>(shared);
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return new ServiceProcess(Service.ORDER, port, jar, run.resolve("logs-" + port), environment, jvmOptions);
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess replica : new ServiceProcess[] {replicaA, replicaB}) {
            if (replica != null) {
                try {
                    replica.stop(settings.stopGrace);
                } catch (RuntimeException e) {
                    replica.kill();
                }
            }
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void oneClientGetsTheAddressLimitOnceBetweenBothReplicas() {
        String client = randomClient();
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < PER_ADDRESS; i++) {
            String email = randomEmail();
            emails.add(email);
            assertThat(checkout(i % 2 == 0 ? replicaA : replicaB, client, email).status()).isEqualTo(201);
        }

        for (ServiceProcess replica : List.of(replicaA, replicaB)) {
            String email = randomEmail();
            emails.add(email);
            HttpAnswer refused = checkout(replica, client, email);
            assertThat(refused.status()).as("a checkout beyond the limit at " + replica.baseUrl()).isEqualTo(429);
            assertThat(refused.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.json().path("type").asText()).endsWith("/too-many-requests");
            assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        }
        assertThat(orders(emails)).isEqualTo(PER_ADDRESS);
        // another client is not affected
        assertThat(checkout(replicaB, randomClient(), randomEmail()).status()).isEqualTo(201);
    }

    @Test
    void aBurstAtBothReplicasAtOnceGetsExactlyTheLimit() throws Exception {
        String client = randomClient();
        int burst = 4 * PER_ADDRESS;
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            emails.add(randomEmail());
        }
        ExecutorService pool = Executors.newFixedThreadPool(burst);
        try {
            List<CompletableFuture<HttpAnswer>> answers = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                ServiceProcess replica = i % 2 == 0 ? replicaA : replicaB;
                String email = emails.get(i);
                answers.add(CompletableFuture.supplyAsync(() -> checkout(replica, client, email), pool));
            }
            List<Integer> statuses = answers.stream().map(CompletableFuture::join).map(HttpAnswer::status).toList();
            assertThat(statuses).filteredOn(status -> status == 201).hasSize(PER_ADDRESS);
            assertThat(statuses).filteredOn(status -> status == 429).hasSize(burst - PER_ADDRESS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(orders(emails)).isEqualTo(PER_ADDRESS);
    }

    @Test
    void oneEmailGetsItsLimitOnceBetweenBothReplicasFromAnyAddress() {
        String email = randomEmail();
        assertThat(checkout(replicaA, randomClient(), email).status()).isEqualTo(201);
        assertThat(checkout(replicaB, randomClient(), email.toUpperCase(Locale.ROOT)).status()).isEqualTo(201);

        HttpAnswer refused = checkout(replicaA, randomClient(), email);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isPresent();
        assertThat(orders(List.of(email))).isEqualTo(PER_EMAIL);
    }

    private static HttpAnswer checkout(ServiceProcess replica, String client, String email) {
        String body = "{\"packageId\":\"ai-movie-course\",\"customer\":{\"name\":\"Budi Santoso\",\"email\":\"" + email
                + "\",\"phone\":\"081234567890\"}}";
        return HttpAnswer.post(replica.baseUrl().resolve(URI.create("/api/orders")), "application/json", body,
                "Idempotency-Key", UUID.randomUUID().toString(),
                // the left-most entry is what a client could write itself; only the proxy's own entry counts
                "X-Forwarded-For", "203.0.113.66, " + client);
    }

    private static long orders(List<String> emails) {
        try (Connection connection = database.connect();
             PreparedStatement count = connection.prepareStatement(
                     "select count(*) from orders.customer_order where lower(customer_email) = any(?)")) {
            count.setArray(1, connection.createArrayOf("text", emails.stream().map(e -> e.toLowerCase(Locale.ROOT)).toArray()));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new HarnessException("Cannot count orders", e);
        }
    }

    /** A client address no other request of this run has used (the database is this run's own). */
    private static String randomClient() {
        int n = CLIENTS.incrementAndGet();
        return "198.18." + (n / 250) + "." + (1 + n % 250);
    }

    private static String randomEmail() {
        return "budi+" + UUID.randomUUID() + "@example.com";
    }
}
