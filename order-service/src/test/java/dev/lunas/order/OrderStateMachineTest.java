package dev.lunas.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.model.ClosedReason;
import dev.lunas.order.model.OrderStatus;
import dev.lunas.order.model.OrderTransition;
import dev.lunas.order.repository.OrderRepository;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.OnVertx;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The guarded updates against the real database: every (from, to) pair of statuses. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class OrderStateMachineTest {

    /** docs/architecture.md: CREATED → PENDING_PAYMENT → PAID | FAILED | EXPIRED, CREATED → EXPIRED, and the
     *  brief's additions (a settlement or failure may reach a CREATED order; a confirmed late settlement
     *  turns FAILED/EXPIRED into PAID). Nothing else. */
    private static final Set<String> ALLOWED = Set.of(
            "CREATED>PENDING_PAYMENT",
            "CREATED>PAID", "PENDING_PAYMENT>PAID", "FAILED>PAID", "EXPIRED>PAID",
            "CREATED>FAILED", "PENDING_PAYMENT>FAILED",
            "CREATED>EXPIRED", "PENDING_PAYMENT>EXPIRED");

    @Inject
    OrderRepository orders;

    @Test
    void everyPairOfStatusesIsAllowedOrRefusedExactlyAsTheStateMachineSays() throws Exception {
        for (OrderStatus from : OrderStatus.values()) {
            for (OrderStatus to : OrderStatus.values()) {
                boolean moved = false;
                for (OrderTransition transition : OrderTransition.values()) {
                    if (transition.target() != to) {
                        continue;
                    }
                    UUID orderId = insertOrder(from);
                    boolean applied = apply(transition, orderId);
                    assertThat(Db.orderStatus(orderId)).as("%s applied to %s", transition, from)
                            .isEqualTo(applied ? to.name() : from.name());
                    moved |= applied;
                }
                assertThat(moved).as("%s -> %s", from, to).isEqualTo(ALLOWED.contains(from + ">" + to));
            }
        }
    }

    @Test
    void eachTransitionStartsOnlyFromItsOwnSources() throws Exception {
        for (OrderTransition transition : OrderTransition.values()) {
            for (OrderStatus from : OrderStatus.values()) {
                UUID orderId = insertOrder(from);
                assertThat(apply(transition, orderId)).as("%s from %s", transition, from)
                        .isEqualTo(transition.allowedFrom(from));
            }
        }
        assertThat(OrderTransition.SETTLED.sources()).containsExactlyInAnyOrder(OrderStatus.CREATED, OrderStatus.PENDING_PAYMENT);
        assertThat(OrderTransition.LATE_SETTLEMENT.sources()).containsExactlyInAnyOrder(OrderStatus.FAILED, OrderStatus.EXPIRED);
    }

    @Test
    void paidIsNeverLeft() throws Exception {
        UUID orderId = insertOrder(OrderStatus.PAID);
        for (OrderTransition transition : OrderTransition.values()) {
            assertThat(transition.sources()).doesNotContain(OrderStatus.PAID);
            assertThat(apply(transition, orderId)).isFalse();
        }
        assertThat(Db.orderStatus(orderId)).isEqualTo("PAID");
    }

    private boolean apply(OrderTransition transition, UUID orderId) throws Exception {
        Instant now = Instant.now();
        return OnVertx.await(() -> Panache.withTransaction(() -> {
            Uni<Boolean> applied = switch (transition) {
                case PAYMENT_REQUESTED -> orders.requestPayment(orderId, "tok", "https://pay.example/tok", now).map(order -> order != null);
                case SETTLED, LATE_SETTLEMENT -> orders.markPaid(transition, orderId, now, "tx-" + orderId, now);
                case FAILED -> orders.close(transition, orderId, now, ClosedReason.PAYMENT_FAILED);
                case EXPIRED -> orders.close(transition, orderId, now, ClosedReason.PAYMENT_WINDOW_LAPSED);
            };
            return applied;
        }));
    }

    private static UUID insertOrder(OrderStatus status) {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        Db.execute("insert into orders.customer_order (id, package_id, package_name, price, discount_amount, amount, currency,"
                        + " status, customer_name, customer_email, customer_phone, created_at, expires_at, paid_at, updated_at)"
                        + " values (?, 'ai-movie-course', 'Buat Film Pakai AI', 99000, 0, 99000, 'IDR', ?, 'Budi', 'budi@example.com',"
                        + " '+6281234567890', ?, ?, ?, ?)",
                id, status.name(), now, Timestamp.from(Instant.now().plusSeconds(3600)),
                status == OrderStatus.PAID ? now : null, now);
        return id;
    }
}
