package dev.lunas.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.run.Service;
import dev.lunas.launcher.run.ServiceProcess;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private static SystemUnderTest system;
    private static ServiceProcess replicaA;
    private static ServiceProcess replicaB;

    @BeforeAll
    static void twoReplicasOnOneDatabase() {
        Assumptions.assumeTrue(SystemSettings.embeddedDatabase(),
                "needs a database of its own: an external one is shared with the other system tests");
        // the production rule set, with small limits, set the way an operator would: by environment variable; the
        // replicas start one after the other (the first one migrates the schema)
        system = SystemUnderTest.start(SystemSettings.fromSystemProperties()
                .services(Service.ORDER)
                .replicas(Service.ORDER, 2)
                .environment(Service.ORDER, "LUNAS_RATE_LIMIT_ENABLED", "true")
                .environment(Service.ORDER, "LUNAS_RATE_LIMIT_TRUSTED_PROXIES", "127.0.0.1")
                .environment(Service.ORDER, "LUNAS_RATE_LIMIT_RULES_CHECKOUT_ADDRESS_LIMIT", String.valueOf(PER_ADDRESS))
                .environment(Service.ORDER, "LUNAS_RATE_LIMIT_RULES_CHECKOUT_ADDRESS_WINDOW", "1h")
                .environment(Service.ORDER, "LUNAS_RATE_LIMIT_RULES_CHECKOUT_EMAIL_LIMIT", String.valueOf(PER_EMAIL))
                .build());
        replicaA = system.replicas(Service.ORDER).get(0);
        replicaB = system.replicas(Service.ORDER).get(1);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
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
        try (Connection connection = system.connect();
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
