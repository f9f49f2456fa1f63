package dev.lunas.order.service;

import dev.lunas.common.logging.Journal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.common.event.Uuids;
import dev.lunas.common.problem.Problem;
import dev.lunas.common.problem.ProblemException;
import dev.lunas.order.config.OrderConfig;
import dev.lunas.order.model.CatalogPackage;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.DiscountCode;
import dev.lunas.order.model.IdempotencyRecord;
import dev.lunas.order.model.OrderStatus;
import dev.lunas.order.model.RecoveryPoint;
import dev.lunas.order.repository.DiscountCodeRepository;
import dev.lunas.order.repository.DiscountRedemptionRepository;
import dev.lunas.order.repository.IdempotencyKeyRepository;
import dev.lunas.order.repository.OrderRepository;
import dev.lunas.order.repository.PackageRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The atomic phases of a checkout (Brandur Leach's idempotency keys with recovery points) and of "pay
 * again". Each public method is one transaction; calls to payment-service happen between them, never
 * inside one.
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
    private final PackageRepository packages;
    private final DiscountCodeRepository codes;
    private final DiscountRedemptionRepository redemptions;
    private final OrderRepository orders;
    private final OrderTransitions transitions;
    private final AuditTrail audit;
    private final OrderEvents events;
    private final OrderConfig config;
    private final ObjectMapper json;

    public CheckoutLedger(IdempotencyKeyRepository keys, PackageRepository packages, DiscountCodeRepository codes,
                          DiscountRedemptionRepository redemptions, OrderRepository orders,
                          OrderTransitions transitions, AuditTrail audit, OrderEvents events, OrderConfig config,
                          ObjectMapper json) {
        this.keys = keys;
        this.packages = packages;
        this.codes = codes;
        this.redemptions = redemptions;
        this.orders = orders;
        this.transitions = transitions;
        this.audit = audit;
        this.events = events;
        this.config = config;
        this.json = json;
    }

    /**
     * Phase one: claims the key and, for a new key, prices the order, redeems the discount, reserves the
     * quota and creates the order with its audit row and OrderCreated event. A business refusal (sold
     * out, code used up) is stored as the key's answer; an unknown package or unusable code fails the
     * whole transaction so nothing, not even the key, is kept.
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
        return packages.findById(command.packageId()).chain(pkg -> {
            if (pkg == null || !pkg.active()) {
                return Uni.createFrom().failure(ProblemException.unprocessable("unknown-package",
                        "There is no package '" + command.packageId() + "' on sale"));
            }
            return usableCode(command, pkg, now).chain(code -> {
                UUID orderId = Uuids.v7();
                return redeem(code, pkg, orderId, command.email(), now)
                        .chain(refusal -> refusal != null ? Uni.createFrom().item(refusal) : reserve(pkg, code, orderId))
                        .chain(refusal -> refusal != null
                                ? refuse(key, refusal)
                                : insert(key, pkg, code, orderId, command, now, journal));
            });
        });
    }

    private Uni<DiscountCode> usableCode(CheckoutCommand command, CatalogPackage pkg, Instant now) {
        if (command.discountCode() == null) {
            return Uni.createFrom().nullItem();
        }
        return codes.findById(command.discountCode()).map(code -> {
            if (code == null) {
                throw ProblemException.unprocessable("unknown-discount-code",
                        "The discount code '" + command.discountCode() + "' does not exist");
            }
            if (!code.usableAt(now)) {
                throw notActive(code);
            }
            if (!code.appliesTo(pkg.id())) {
                throw ProblemException.unprocessable("discount-code-not-applicable",
                        "The discount code '" + code.code() + "' is not valid for this package");
            }
            return code;
        });
    }

    /** Counts the code's use and records the redemption; a refusal when the code is used up or already used by this email. */
    private Uni<Problem> redeem(DiscountCode code, CatalogPackage pkg, UUID orderId, String email, Instant now) {
        if (code == null) {
            return Uni.createFrom().nullItem();
        }
        return codes.redeemUse(code.code(), pkg.id(), now).chain(counted -> {
            if (!counted) {
                return codes.exhausted(code.code()).map(exhausted -> {
                    if (!exhausted) {
                        throw notActive(code);
                    }
                    return refusal("discount-code-exhausted",
                            "The discount code '" + code.code() + "' has been used up");
                });
            }
            return redemptions.redeem(orderId, code.code(), email, code.oncePerEmail()).chain(recorded -> recorded
                    ? Uni.createFrom().<Problem>nullItem()
                    : codes.returnUses(code.code(), 1).replaceWith(refusal("discount-code-already-used",
                            "The discount code '" + code.code() + "' can be used once per email address, and this one has used it")));
        });
    }

    /** Takes a quota place; when sold out, gives the discount use just taken back (same transaction). */
    private Uni<Problem> reserve(CatalogPackage pkg, DiscountCode code, UUID orderId) {
        return packages.reserve(pkg.id()).chain(reserved -> {
            if (reserved) {
                return Uni.createFrom().nullItem();
            }
            Problem soldOut = refusal("sold-out", "The package '" + pkg.name() + "' is sold out");
            if (code == null) {
                return Uni.createFrom().item(soldOut);
            }
            return redemptions.remove(orderId)
                    .chain(() -> codes.returnUses(code.code(), 1))
                    .replaceWith(soldOut);
        });
    }

    private Uni<Opened> insert(String key, CatalogPackage pkg, DiscountCode code, UUID orderId, CheckoutCommand command,
                               Instant now, Journal journal) {
        long discount = code == null ? 0 : Math.min(code.discountOn(pkg.price()), pkg.price() - 1);
        Instant expiresAt = now.plus(paymentWindowOf(pkg));
        CustomerOrder order = CustomerOrder.create(orderId, pkg, code == null ? null : code.code(), discount,
                command.name(), command.email(), command.phone(), now, expiresAt, pkg.quota() != null ? expiresAt : null);
        UUID leaseOwner = UUID.randomUUID();
        return orders.persistAndFlush(order)
                .chain(() -> audit.record(orderId, Actors.STOREFRONT, "status", null, OrderStatus.CREATED,
                        code == null ? "checkout" : "checkout with discount code " + code.code()))
                .chain(() -> events.created(order, journal))
                .chain(() -> keys.markOrderCreated(key, orderId, leaseOwner, config.checkout().lease()))
                .invoke(() -> journal.info("ORDER_CREATED", orderId, "package=%s amount=%d discount=%d %s",
                        order.packageId(), order.amount(), order.discountAmount(), OrderEvents.maskedContact(order)))
                .replaceWith(new Created(order, leaseOwner));
    }

    /**
     * How long the order may be paid: a limited package's place is held only for the (shorter) limited
     * hold, so nobody can block a scarce place for the whole payment window; the Snap transaction gets the
     * same expiry.
     */
    private Duration paymentWindowOf(CatalogPackage pkg) {
        Duration window = config.paymentWindow();
        Duration hold = config.checkout().limitedHold();
        return pkg.quota() != null && hold.compareTo(window) < 0 ? hold : window;
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

    private static Problem refusal(String slug, String detail) {
        return Problem.of(409, slug, "Conflict", detail);
    }

    private static ProblemException notActive(DiscountCode code) {
        return ProblemException.unprocessable("discount-code-not-active",
                "The discount code '" + code.code() + "' is not valid at this time");
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
