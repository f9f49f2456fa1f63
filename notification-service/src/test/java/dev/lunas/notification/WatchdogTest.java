package dev.lunas.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.service.DatabaseProbe;
import dev.lunas.notification.service.WatchdogService;
import dev.lunas.notification.service.WatchdogService.Outcome;
import dev.lunas.notification.testing.Mailbox;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's alerts, at explicit times so the one-hour cool-down is stepped over without waiting: one mail
 * per condition however often it runs (also two runs at once, as two replicas would), a reminder after the
 * cool-down, a "resolved" mail when the condition ends. The outage is a probe at a port where no database
 * listens, through a real pool; the shared test database itself stays up for the other tests.
 */
@QuarkusTest
@TestProfile(WatchdogTest.WithAlertAddress.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class WatchdogTest {

    static final String ALERTS = "watchdog@lunas.test";
    private static final String ADMIN = "dev-admin-token";
    private static final Duration WAIT = Duration.ofSeconds(30);

    public static class WithAlertAddress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lunas.notification.email.alert-address", ALERTS,
                    "lunas.notification.watchdog.cooldown", "1h");
        }
    }

    @Inject
    WatchdogService watchdog;

    @Inject
    io.vertx.mutiny.core.Vertx vertx;

    @Test
    void aDeadDeliveryIsMailedOnceThenRemindedAfterTheCooldownThenResolved() throws Exception {
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        int alertedBefore = matching("[Lunas P0] Deliveries DEAD (1)").size();
        int resolvedBefore = matching("[Lunas resolved] No DEAD deliveries left").size();
        long id = insertDeadDelivery(t0);

        Outcome first = run(t0);
        assertThat(first.databaseUp()).isTrue();
        assertThat(first.sent()).containsExactly(WatchdogService.DELIVERIES_DEAD);
        // later runs inside the cool-down, two of them at once as two replicas would: nothing more
        run(t0.plus(Duration.ofMinutes(2)));
        Uni.combine().all().unis(watchdog.check(t0.plus(Duration.ofMinutes(4))),
                watchdog.check(t0.plus(Duration.ofMinutes(4)))).asTuple().await().atMost(WAIT);
        run(t0.plus(Duration.ofMinutes(59)));
        List<MimeMessage> alerts = mails("[Lunas P0] Deliveries DEAD (1)");
        assertThat(alerts).hasSize(alertedBefore + 1);
        String body = body(alerts.get(alerts.size() - 1));
        assertThat(body).contains("What happened: 1 deliveries are DEAD",
                "Since: 2030-01-01T00:00:00Z (2030-01-01 07:00:00 WIB)", "What to do:",
                "GET /admin/deliveries?status=DEAD", "Runbook: docs/runbooks/DeliveriesDead.md");
        assertThat(Outbox.query("SELECT active FROM notifications.watchdog_alert WHERE condition = 'DeliveriesDead'"))
                .singleElement().satisfies(row -> assertThat(row.get("active")).isEqualTo(true));

        // still there a cool-down after the mail: one reminder, and again none until the next cool-down
        assertThat(run(t0.plus(Duration.ofMinutes(61))).sent()).containsExactly(WatchdogService.DELIVERIES_DEAD);
        assertThat(run(t0.plus(Duration.ofMinutes(62))).sent()).isEmpty();
        assertThat(mails("[Lunas P0] Deliveries DEAD (still 1)")).hasSize(1);

        // requeued or removed: one "resolved" mail with how long it lasted, then silence
        Outbox.execute("DELETE FROM notifications.delivery WHERE id = ?", id);
        assertThat(run(t0.plus(Duration.ofMinutes(70))).sent())
                .containsExactly(WatchdogService.DELIVERIES_DEAD + "_RESOLVED");
        assertThat(run(t0.plus(Duration.ofMinutes(72))).sent()).isEmpty();
        List<MimeMessage> resolved = mails("[Lunas resolved] No DEAD deliveries left");
        assertThat(resolved).hasSize(resolvedBefore + 1);
        assertThat(body(resolved.get(resolved.size() - 1))).contains("Lasted: 1h 10m 0s",
                "Runbook: docs/runbooks/DeliveriesDead.md");

        // a new DEAD delivery after "resolved" is a new alert at once
        long again = insertDeadDelivery(t0.plus(Duration.ofMinutes(74)));
        assertThat(run(t0.plus(Duration.ofMinutes(75))).sent()).containsExactly(WatchdogService.DELIVERIES_DEAD);
        assertThat(mails("[Lunas P0] Deliveries DEAD (1)")).hasSize(alertedBefore + 2);
        Outbox.execute("DELETE FROM notifications.delivery WHERE id = ?", again);
        assertThat(run(t0.plus(Duration.ofMinutes(76))).sent())
                .containsExactly(WatchdogService.DELIVERIES_DEAD + "_RESOLVED");
    }

    @Test
    void anAlertTheSmtpServerDidNotTakeIsMailedOnTheNextRun() throws Exception {
        Instant t0 = Instant.parse("2032-01-01T00:00:00Z");
        long first = insertDeadDelivery(t0);
        long second = insertDeadDelivery(t0);
        NotificationPeers.smtp().down();
        try {
            assertThat(run(t0).sent()).isEmpty();
            assertThat(run(t0.plus(Duration.ofMinutes(2))).sent()).isEmpty();
        } finally {
            NotificationPeers.smtp().up();
        }
        // nothing was recorded, so a later run (within what would have been the cool-down) mails it
        await().atMost(WAIT).until(() -> run(t0.plus(Duration.ofMinutes(4))).sent()
                .contains(WatchdogService.DELIVERIES_DEAD));
        assertThat(mails("[Lunas P0] Deliveries DEAD (2)")).hasSize(1);

        Outbox.execute("DELETE FROM notifications.delivery WHERE id IN (?, ?)", first, second);
        assertThat(run(t0.plus(Duration.ofMinutes(6))).sent())
                .containsExactly(WatchdogService.DELIVERIES_DEAD + "_RESOLVED");
    }

    @Test
    void anUnreachableDatabaseIsMailedDirectlyOnceThenRemindedThenItsRecovery() throws Exception {
        Instant t0 = Instant.parse("2031-01-01T00:00:00Z");
        io.vertx.mutiny.sqlclient.Pool nowhere = io.vertx.mutiny.sqlclient.Pool.newInstance(PgBuilder.pool()
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(closedPort())
                        .setDatabase("lunas").setUser("lunas").setPassword("not-used").setConnectTimeout(2000))
                .with(new PoolOptions().setMaxSize(1))
                .using(vertx.getDelegate())
                .build());
        DatabaseProbe down = new DatabaseProbe(nowhere, Duration.ofSeconds(3));
        try {
            Outcome first = watchdog.check(t0, down).await().atMost(WAIT);
            assertThat(first.databaseUp()).isFalse();
            assertThat(first.sent()).containsExactly(WatchdogService.DATABASE_UNREACHABLE);
            assertThat(watchdog.check(t0.plus(Duration.ofMinutes(2)), down).await().atMost(WAIT).sent()).isEmpty();
            assertThat(watchdog.check(t0.plus(Duration.ofMinutes(30)), down).await().atMost(WAIT).sent()).isEmpty();
            List<MimeMessage> alerts = mails("[Lunas P0] Database unreachable");
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).getSubject()).isEqualTo("[Lunas P0] Database unreachable");
            assertThat(body(alerts.get(0))).contains("What happened: notification-service cannot reach its PostgreSQL",
                    "Since: 2031-01-01T00:00:00Z (2031-01-01 07:00:00 WIB)", "What to do:",
                    "Runbook: docs/runbooks/DatabaseUnreachable.md");

            assertThat(watchdog.check(t0.plus(Duration.ofMinutes(60)), down).await().atMost(WAIT).sent())
                    .containsExactly(WatchdogService.DATABASE_UNREACHABLE);
            assertThat(mails("[Lunas P0] Database unreachable (still)")).hasSize(1);
        } finally {
            nowhere.closeAndAwait();
        }

        // the real database answers: one recovery mail with the duration, then nothing
        Outcome back = watchdog.check(t0.plus(Duration.ofMinutes(70))).await().atMost(WAIT);
        assertThat(back.databaseUp()).isTrue();
        assertThat(back.sent()).contains(WatchdogService.DATABASE_UNREACHABLE + "_RESOLVED");
        assertThat(watchdog.check(t0.plus(Duration.ofMinutes(72))).await().atMost(WAIT).sent())
                .doesNotContain(WatchdogService.DATABASE_UNREACHABLE + "_RESOLVED");
        List<MimeMessage> resolved = mails("[Lunas resolved] Database reachable again");
        assertThat(resolved).hasSize(1);
        assertThat(body(resolved.get(0))).contains("Lasted: 1h 10m 0s", "Since: 2031-01-01T00:00:00Z",
                "Runbook: docs/runbooks/DatabaseUnreachable.md");
    }

    @Test
    void theTestEndpointMailsTheAlertAddress() throws Exception {
        given().when().post("/admin/alerts/test").then().statusCode(401);
        given().header("Authorization", "Bearer " + ADMIN).when().post("/admin/alerts/test")
                .then().statusCode(202).body("sentTo", org.hamcrest.Matchers.is("w***@lunas.test"));
        List<MimeMessage> mails = mails("[Lunas test] ");
        assertThat(mails).isNotEmpty();
        assertThat(mails.get(0).getSubject()).isEqualTo("[Lunas test] Test alert from notification-service");
        assertThat(body(mails.get(0))).contains("What happened: an operator (admin) asked for a test alert");

        NotificationPeers.smtp().down();
        try {
            given().header("Authorization", "Bearer " + ADMIN).when().post("/admin/alerts/test")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith("/alert-mail-failed"));
        } finally {
            NotificationPeers.smtp().up();
        }
    }

    @Test
    void aPaymentSettledWhoseOrderIsNotPaidIsMailedUntilTheOrderTurnsPaid() throws Exception {
        Instant t0 = Instant.parse("2033-01-01T00:00:00Z");
        UUID orderId = insertOrder("PENDING_PAYMENT", t0.minus(Duration.ofMinutes(20)), t0.plus(Duration.ofDays(1)), null);
        insertSettledPayment(orderId, t0);
        try {
            // within lunas.notification.watchdog.settled-not-paid-after (10 minutes) the result may still be on its way
            assertThat(run(t0.plus(Duration.ofMinutes(5))).sent()).isEmpty();
            assertThat(run(t0.plus(Duration.ofMinutes(11))).sent()).containsExactly(WatchdogService.SETTLED_NOT_PAID);
            assertThat(run(t0.plus(Duration.ofMinutes(12))).sent()).isEmpty();
            List<MimeMessage> alerts = mails("[Lunas P0] Paid, order not PAID (1)");
            assertThat(alerts).hasSize(1);
            assertThat(body(alerts.get(0))).contains("1 payments have been SETTLED in payment-service for more than 10m",
                    "Orders (oldest first): " + orderId + ".", "Since: 2033-01-01T00:00:00Z",
                    "Runbook: docs/runbooks/SettledNotPaid.md");

            // the payment result arrives: the order is PAID, one "resolved" mail
            Outbox.execute("UPDATE orders.customer_order SET status = 'PAID', paid_at = ? WHERE id = ?",
                    java.sql.Timestamp.from(t0.plus(Duration.ofMinutes(14))), orderId);
            assertThat(run(t0.plus(Duration.ofMinutes(15))).sent())
                    .containsExactly(WatchdogService.SETTLED_NOT_PAID + "_RESOLVED");
            assertThat(run(t0.plus(Duration.ofMinutes(16))).sent()).isEmpty();
            assertThat(body(mails("[Lunas resolved] Every settled payment's order is PAID").get(0)))
                    .contains("Lasted: 15m 0s");
        } finally {
            deleteOrder(orderId);
        }
    }

    @Test
    void ordersStillOpenLongAfterTheirDeadlineAreMailedUntilTheyAreClosed() throws Exception {
        Instant t0 = Instant.parse("2034-01-01T00:00:00Z");
        // one whose payment window ended at t0, one whose limited place hold ended five minutes later
        UUID window = insertOrder("PENDING_PAYMENT", t0.minus(Duration.ofDays(1)), t0, null);
        UUID hold = insertOrder("CREATED", t0, t0.plus(Duration.ofDays(1)), t0.plus(Duration.ofMinutes(5)));
        try {
            assertThat(run(t0.plus(Duration.ofMinutes(20))).sent()).isEmpty();
            assertThat(run(t0.plus(Duration.ofMinutes(31))).sent()).containsExactly(WatchdogService.ORDERS_PAST_DEADLINE);
            assertThat(body(mails("[Lunas P1] Orders open past their deadline (1)").get(0)))
                    .contains("Orders (oldest first): " + window + ".", "Since: 2034-01-01T00:00:00Z",
                            "Runbook: docs/runbooks/OrdersPastDeadline.md");
            // the second one joins within the cool-down: no mail until the reminder, which counts both
            assertThat(run(t0.plus(Duration.ofMinutes(40))).sent()).isEmpty();
            assertThat(run(t0.plus(Duration.ofMinutes(91))).sent()).containsExactly(WatchdogService.ORDERS_PAST_DEADLINE);
            assertThat(body(mails("[Lunas P1] Orders open past their deadline (still 2)").get(0)))
                    .contains("Orders (oldest first): " + window + ", " + hold + ".", "1 of them since the last mail.");

            Outbox.execute("UPDATE orders.customer_order SET status = 'EXPIRED', closed_at = ?, "
                    + "closed_reason = 'PAYMENT_WINDOW_LAPSED' WHERE id IN (?, ?)",
                    java.sql.Timestamp.from(t0.plus(Duration.ofMinutes(95))), window, hold);
            assertThat(run(t0.plus(Duration.ofMinutes(96))).sent())
                    .containsExactly(WatchdogService.ORDERS_PAST_DEADLINE + "_RESOLVED");
            assertThat(mails("[Lunas resolved] No order open past its deadline")).hasSize(1);
        } finally {
            deleteOrder(window);
            deleteOrder(hold);
        }
    }

    @Test
    void eachSecondSettlementIsMailedOnceThoseWithinACooldownTogether() throws Exception {
        Instant t0 = Instant.parse("2035-01-01T00:00:00Z");
        UUID orderId = insertOrder("PAID", t0.minus(Duration.ofHours(2)), t0.plus(Duration.ofDays(1)), null);
        insertSettledPayment(orderId, t0.minus(Duration.ofHours(1)));
        try {
            insertDoubleSettlement(orderId, t0);
            // read only once a minute old, so a transaction still open in payment-service cannot slip one past
            assertThat(run(t0.plus(Duration.ofSeconds(30))).sent()).isEmpty();
            assertThat(run(t0.plus(Duration.ofMinutes(2))).sent()).containsExactly(WatchdogService.DOUBLE_SETTLEMENT);
            assertThat(run(t0.plus(Duration.ofMinutes(3))).sent()).isEmpty();
            List<MimeMessage> first = mails("[Lunas P0] Second settlement for a paid order (1)");
            assertThat(first).hasSize(1);
            assertThat(body(first.get(0))).contains("Orders (oldest first): " + orderId + ".",
                    "Runbook: docs/runbooks/DoubleSettlement.md");

            // another one inside the cool-down waits for it, then goes alone (the first is not mailed again)
            insertDoubleSettlement(orderId, t0.plus(Duration.ofMinutes(4)));
            assertThat(run(t0.plus(Duration.ofMinutes(6))).sent()).isEmpty();
            assertThat(run(t0.plus(Duration.ofMinutes(62))).sent()).containsExactly(WatchdogService.DOUBLE_SETTLEMENT);
            assertThat(run(t0.plus(Duration.ofMinutes(130))).sent()).isEmpty();
            await().atMost(WAIT).until(() -> matching("[Lunas P0] Second settlement for a paid order (1)").size() == 2);
            assertThat(matching("[Lunas resolved] Second settlement")).isEmpty();
        } finally {
            Outbox.execute("DELETE FROM payments.payment_audit WHERE order_id = ?", orderId);
            deleteOrder(orderId);
        }
    }

    private Outcome run(Instant at) {
        return watchdog.check(at).await().atMost(WAIT);
    }

    /** A DEAD EMAIL delivery, as the lanes leave one whose attempts are spent. */
    private static long insertDeadDelivery(Instant diedAt) {
        UUID eventId = UUID.randomUUID();
        Outbox.execute("INSERT INTO notifications.delivery (event_id, source, event_type, aggregate_type, aggregate_id, "
                + "channel, template, payload, event_created_at, status, attempts, max_attempts, last_error, finished_at) "
                + "VALUES (?, 'orders', 'PaymentRequested', 'order', ?, 'EMAIL', 'payment-instructions', '{}'::jsonb, "
                + "now(), 'DEAD', 3, 3, 'SMTP 421 try later', ?)", eventId, UUID.randomUUID().toString(),
                java.sql.Timestamp.from(diedAt));
        return ((Number) Outbox.query("SELECT id FROM notifications.delivery WHERE event_id = ?", eventId)
                .get(0).get("id")).longValue();
    }

    /** An order as order-service keeps one (the catalogue's package), open or PAID. */
    private static UUID insertOrder(String status, Instant createdAt, Instant expiresAt, Instant placeHeldUntil) {
        UUID id = UUID.randomUUID();
        Outbox.execute("INSERT INTO orders.customer_order (id, package_id, package_name, price, discount_amount, amount, "
                + "currency, status, customer_name, customer_email, customer_phone, created_at, expires_at, paid_at, "
                + "updated_at, place_held_until) VALUES (?, 'ai-movie-course', 'Buat Film Pakai AI', 99000, 0, 99000, "
                + "'IDR', ?, 'Budi', 'budi@example.com', '+6281234567890', ?, ?, ?, ?, ?)", id, status,
                java.sql.Timestamp.from(createdAt), java.sql.Timestamp.from(expiresAt),
                status.equals("PAID") ? java.sql.Timestamp.from(createdAt) : null, java.sql.Timestamp.from(createdAt),
                placeHeldUntil == null ? null : java.sql.Timestamp.from(placeHeldUntil));
        return id;
    }

    /** payment-service's attempt for the order, SETTLED at {@code settledAt}. */
    private static void insertSettledPayment(UUID orderId, Instant settledAt) {
        Outbox.execute("INSERT INTO payments.payment_attempt (order_id, amount, currency, expires_at, status, "
                + "transaction_status, settled_at) VALUES (?, 99000, 'IDR', ?, 'SETTLED', 'settlement', ?)", orderId,
                java.sql.Timestamp.from(settledAt.plus(Duration.ofDays(1))), java.sql.Timestamp.from(settledAt));
    }

    /** The audit row payment-service writes when a second settlement arrives for a settled order. */
    private static void insertDoubleSettlement(UUID orderId, Instant at) {
        Outbox.execute("INSERT INTO payments.payment_audit (order_id, action, old_status, new_status, reason, created_at) "
                + "VALUES (?, 'DOUBLE_SETTLEMENT', 'SETTLED', 'SETTLED', 'second transaction settled', ?)", orderId,
                java.sql.Timestamp.from(at));
    }

    private static void deleteOrder(UUID orderId) {
        Outbox.execute("DELETE FROM payments.payment_attempt WHERE order_id = ?", orderId);
        Outbox.execute("DELETE FROM orders.customer_order WHERE id = ?", orderId);
    }

    /** The mails to ALERTS whose subject starts with the prefix, waiting for the first one. */
    private static List<MimeMessage> mails(String subjectPrefix) {
        await().atMost(WAIT).until(() -> !matching(subjectPrefix).isEmpty());
        return matching(subjectPrefix);
    }

    private static List<MimeMessage> matching(String subjectPrefix) {
        return Mailbox.to(ALERTS).stream().filter(mail -> subject(mail).startsWith(subjectPrefix)).toList();
    }

    private static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(MimeMessage mail) throws IOException, MessagingException {
        return String.valueOf(mail.getContent()).replace("\r\n", "\n");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
