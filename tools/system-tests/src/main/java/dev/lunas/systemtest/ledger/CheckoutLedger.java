package dev.lunas.systemtest.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.systemtest.harness.Customer;
import dev.lunas.systemtest.harness.Customers;
import dev.lunas.systemtest.harness.HttpAnswer;
import dev.lunas.systemtest.harness.Storefront;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every checkout a scenario sends, as docs/reliability.md §8 counts them: each request has its own
 * Idempotency-Key and correlation id, and its answer is kept (status, body hash, time, order id). The
 * {@link Reconciliation} later compares the ledger with what the system holds and delivered.
 */
public final class CheckoutLedger {

    /**
     * One checkout request and its answer.
     *
     * @param orderId the order the answer named; null when it was not a 2xx
     */
    public record Entry(String idempotencyKey, String correlationId, Customer customer, String packageId, int status,
                        String bodySha256, Instant answeredAt, UUID orderId, HttpAnswer answer) {

        public boolean successful() {
            return status / 100 == 2;
        }

        /** The Snap payment page the answer links to, for a checkout that got a token. */
        public Optional<String> paymentUrl() {
            return Optional.ofNullable(answer.json().path("payment").path("redirectUrl").textValue());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Storefront storefront;
    private final Customers customers;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** A ledger of checkouts against the system, by customers of the system's run. */
    public CheckoutLedger(SystemUnderTest system) {
        this.storefront = system.storefront();
        this.customers = system.customers();
    }

    /** A checkout of the package by a new customer. */
    public Entry checkout(String packageId) {
        return checkout(packageId, customers.next());
    }

    public Entry checkout(String packageId, Customer customer) {
        return send(UUID.randomUUID().toString(), packageId, customer);
    }

    /** The same request again under the same key, as a client retrying after a lost answer does. */
    public Entry repeat(Entry earlier) {
        return send(earlier.idempotencyKey(), earlier.packageId(), earlier.customer());
    }

    /** A checkout under a key the caller chose: for a client that sends the same request several times at once. */
    public Entry send(String idempotencyKey, String packageId, Customer customer) {
        String correlationId = "systest-" + UUID.randomUUID();
        HttpAnswer answer = storefront.checkout(idempotencyKey, correlationId, body(packageId, customer));
        UUID orderId = answer.successful() ? UUID.fromString(answer.json().path("orderId").asText()) : null;
        Entry entry = new Entry(idempotencyKey, correlationId, customer, packageId, answer.status(), sha256(answer.body()),
                Instant.now(), orderId, answer);
        entries.add(entry);
        return entry;
    }

    /** The checkout body the storefront sends for the customer. */
    public static String body(String packageId, Customer customer) {
        ObjectNode body = JSON.createObjectNode().put("packageId", packageId);
        body.putObject("customer").put("name", customer.name()).put("email", customer.email()).put("phone", customer.phone());
        return body.toString();
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The distinct orders that 2xx answers named, in the order they were first named. */
    public List<UUID> orderIds() {
        return entries.stream().filter(Entry::successful).map(Entry::orderId).distinct().toList();
    }

    /** The customer of an order this ledger created. */
    public Customer customerOf(UUID orderId) {
        return entries.stream().filter(entry -> orderId.equals(entry.orderId())).findFirst()
                .map(Entry::customer)
                .orElseThrow(() -> new IllegalArgumentException("Order " + orderId + " is not in this ledger"));
    }

    public List<Customer> customers() {
        return entries.stream().map(Entry::customer).distinct().toList();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
