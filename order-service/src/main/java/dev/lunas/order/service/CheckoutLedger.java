package dev.lunas.order.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.event.Uuids;
import dev.lunas.common.logging.Journal;
import dev.lunas.common.problem.Problem;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.IdempotencyRecord;
import dev.lunas.order.model.RecoveryPoint;
import dev.lunas.order.repository.IdempotencyKeyRepository;
import dev.lunas.order.repository.OrderRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The Idempotency-Key protocol of a checkout (Brandur Leach's idempotency keys with recovery points), one
 * transaction per phase, and the one transaction of "pay again". Calls to payment-service happen between
 * these transactions, never inside one. A key moves STARTED → ORDER_CREATED (the order exists; one request
 * at a time holds the lease on its payment step) → FINISHED (the answer is stored and replayed), or straight
 * to FINISHED with a stored refusal; STARTED is never seen outside the transaction that claimed the key.
 * Pricing, the quota place and the discount use, and the order row are left to {@link Pricing},
 * {@link Holdings} and {@link OrderTransitions}, inside the first phase's transaction.
 */
@ApplicationScoped
public class CheckoutLedger {

    static final String PATH = "/api/orders";

    /** What the first phase decided. */
    public sealed interface Opened permits Created, Resumed, Answered {
    }

    /** A new order; this request holds the key's lease for the payment step. */
    public record Created(CustomerOrder order, UUID leaseOwner) implements Opened {
    }

    /** An earlier request under this key created the order and did not finish; this one took its lease over. */
    public record Resumed(CustomerOrder order, UUID leaseOwner) implements Opened {
    }

    /** The key's stored answer, or a business refusal just stored under it. */
    public record Answered(CheckoutAnswer answer) implements Opened {
    }

    private final IdempotencyKeyRepository keys;
    private final OrderRepository orders;
    private final Pricing pricing;
    private final Holdings holdings;
    private final OrderTransitions transitions;
    private final OrderConfig config;
    private final ObjectMapper json;

    public CheckoutLedger(IdempotencyKeyRepository keys, OrderRepository orders, Pricing pricing, Holdings holdings,
                          OrderTransitions transitions, OrderConfig config, ObjectMapper json) {
        this.keys = keys;
        this.orders = orders;
        this.pricing = pricing;
        this.holdings = holdings;
        this.transitions = transitions;
        this.config = config;
        this.json = json;
    }

    /**
     * Phase one: claims the key and, for a new key, prices the checkout, takes its place and discount use,
     * creates the order with its audit row and OrderCreated event, and moves the key to ORDER_CREATED with
     * this request's lease. A business refusal (sold out, code used up) is stored as the key's answer; an
     * unknown package or unusable code fails the whole transaction so nothing, not even the key, is kept.
     */
    @WithTransaction
    public Uni<Opened> open(String key, String fingerprint, CheckoutCommand command, Journal journal) {
        return keys.claim(key, fingerprint)
                .chain(claimed -> claimed ? create(key, command, journal) : existing(key, fingerprint));
    }

    /** Phase two: the token is stored on the order, and the order is the key's answer. */
    @WithTransaction
    public Uni<CheckoutAnswer> finishWithToken(String key, UUID orderId, String token, String paymentUrl,
                                               Journal journal) {
        return transitions.recordPaymentLink(orderId, token, paymentUrl, Actors.STOREFRONT, journal)
                .chain(order -> finish(key, 201, write(OrderView.of(order)), orderId));
    }

    /** "Pay again": stores the token payment-service gave for an order that is still open. */
    @WithTransaction
    public Uni<CustomerOrder> recordPaymentLink(UUID orderId, String token, String paymentUrl, Journal journal) {
        return transitions.recordPaymentLink(orderId, token, paymentUrl, Actors.STOREFRONT, journal);
    }

    /** Phase two when no token is owed (the order already ended, or payment-service closed the payment). */
    @WithTransaction
    public Uni<CheckoutAnswer> finishWithOrder(String key, UUID orderId) {
        return orders.findById(orderId).chain(order -> finish(key, 201, write(OrderView.of(order)), orderId));
    }

    /**
     * Phase two when payment-service refuses the order's payment for good (Midtrans rejected it): a 422 is the
     * key's answer, so the storefront is told at once instead of being handed an order it cannot pay. The order
     * stays as it is (a refusal caused by our own configuration can be paid with "pay again" once fixed) and
     * gives its place back when it expires.
     */
    @WithTransaction
    public Uni<CheckoutAnswer> finishWithRefusal(String key, UUID orderId, String slug) {
        Problem problem = Problem.of(422, slug, "Unprocessable request", "The payment provider refused a payment for order "
                + orderId + "; it cannot be paid as it is. Check out again, or contact support if it happens again");
        return finish(key, 422, write(problem.withInstance(PATH)), orderId);
    }

    /** Payment-service was unavailable: the key stays at ORDER_CREATED, free for the next retry to resume. */
    @WithTransaction
    public Uni<Void> releaseLease(String key, UUID leaseOwner) {
        return keys.release(key, leaseOwner);
    }

    private Uni<Opened> existing(String key, String fingerprint) {
        return keys.findById(key).chain(record -> {
            if (record == null || record.recoveryPoint() == RecoveryPoint.STARTED) {
                return Uni.createFrom().failure(inFlight());
            }
            if (!record.fingerprint().equals(fingerprint)) {
                return Uni.createFrom().failure(ProblemException.unprocessable("idempotency-key-reused",
                        "This Idempotency-Key was already used for a different request; use a new key for a new order"));
            }
            if (record.recoveryPoint() == RecoveryPoint.FINISHED) {
                return Uni.createFrom().item(new Answered(replay(record)));
            }
            UUID leaseOwner = UUID.randomUUID();
            return keys.takeOver(key, leaseOwner, config.checkout().lease()).chain(taken -> taken
                    ? orders.findById(record.orderId()).map(order -> (Opened) new Resumed(order, leaseOwner))
                    : Uni.createFrom().failure(inFlight()));
        });
    }

    private Uni<Opened> create(String key, CheckoutCommand command, Journal journal) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return pricing.quote(command, now).chain(quote -> {
            UUID orderId = Uuids.v7();
            return holdings.take(quote, orderId, command.email(), now).chain(refusal -> refusal != null
                    ? refuse(key, refusal)
                    : insert(key, orderId, quote, command, now, journal));
        });
    }

    private Uni<Opened> insert(String key, UUID orderId, PriceQuote quote, CheckoutCommand command, Instant now,
                               Journal journal) {
        UUID leaseOwner = UUID.randomUUID();
        return transitions.create(orderId, quote, command, now, journal)
                .call(() -> keys.markOrderCreated(key, orderId, leaseOwner, config.checkout().lease()))
                .map(order -> new Created(order, leaseOwner));
    }

    private Uni<Opened> refuse(String key, Problem problem) {
        String body = write(problem.withInstance(PATH));
        return keys.finish(key, problem.status(), body)
                .replaceWith(new Answered(new CheckoutAnswer(problem.status(), body, null, false, null)));
    }

    /**
     * Stores the answer unless another request under the key already finished it; then that one wins.
     * Runs in phase-two transactions, which have not loaded the key before.
     */
    private Uni<CheckoutAnswer> finish(String key, int status, String body, UUID orderId) {
        return keys.finish(key, status, body).chain(finished -> finished
                ? Uni.createFrom().item(new CheckoutAnswer(status, body, orderId, false, null))
                : keys.findById(key).map(CheckoutLedger::replay));
    }

    private static CheckoutAnswer replay(IdempotencyRecord record) {
        return new CheckoutAnswer(record.responseStatus(), record.responseBody(),
                record.responseStatus() < 300 ? record.orderId() : null, true, null);
    }

    static ProblemException inFlight() {
        return ProblemException.conflict("idempotency-key-in-use",
                "A request with this Idempotency-Key is still being processed; repeat it unchanged shortly",
                Duration.ofSeconds(1));
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a checkout answer", e);
        }
    }
}
