package dev.lunas.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.Delivery;
import dev.lunas.notification.repository.DeliveryRepository;
import dev.lunas.notification.repository.Transactions;
import dev.lunas.notification.service.DeliveryService;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two replicas claiming at once never get the same row, and a worker that lost its lease cannot finish it. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class ClaimAndFencingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    DeliveryService deliveries;

    @Inject
    DeliveryRepository repository;

    @Inject
    Transactions transactions;

    @Test
    void concurrentClaimsAreDisjointAndUpdatesAreFencedOnOwnerAndAttempt() {
        Set<Long> inserted = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            UUID orderId = UUID.randomUUID();
            Outbox.execute("INSERT INTO notifications.delivery (event_id, source, event_type, aggregate_type, aggregate_id, "
                            + "channel, template, payload, event_created_at, status, max_attempts) VALUES (?, 'payments', "
                            + "'PaymentRefunded', 'payment', ?, 'INTERNAL', 'payment-result', ?::jsonb, now(), 'PENDING', 12)",
                    UUID.randomUUID(), orderId.toString(), Outbox.json(Outbox.settlement(orderId)));
        }
        Outbox.query("SELECT id FROM notifications.delivery WHERE event_type = 'PaymentRefunded' AND status = 'PENDING'")
                .forEach(row -> inserted.add(((Number) row.get("id")).longValue()));

        List<List<Delivery>> claims = Uni.join().all(
                        deliveries.claim(Channel.INTERNAL, 12, "replica-a:1"),
                        deliveries.claim(Channel.INTERNAL, 12, "replica-b:1"))
                .andFailFast().await().atMost(WAIT);
        List<Delivery> a = claims.get(0).stream().filter(d -> inserted.contains(d.id())).toList();
        List<Delivery> b = claims.get(1).stream().filter(d -> inserted.contains(d.id())).toList();

        Set<Long> both = new HashSet<>(ids(a));
        both.retainAll(ids(b));
        assertThat(both).isEmpty();
        assertThat(a.size() + b.size()).isEqualTo(inserted.size());
        assertThat(a).allMatch(d -> d.attempt() == 1);

        Delivery first = a.isEmpty() ? b.get(0) : a.get(0);
        String owner = a.isEmpty() ? "replica-b:1" : "replica-a:1";
        Delivery staleAttempt = new Delivery(first.id(), first.eventId(), first.source(), first.eventType(),
                first.aggregateType(), first.aggregateId(), first.channel(), first.template(), first.payload(),
                first.eventCreatedAt(), first.attempt() - 1, first.retryFrom(), first.maxAttempts());
        assertThat(markSent(first, "replica-c:1")).isFalse();
        assertThat(markSent(staleAttempt, owner)).isFalse();
        assertThat(markSent(first, owner)).isTrue();
        assertThat(markSent(first, owner)).isFalse();

        List<Delivery> rest = new ArrayList<>(a);
        rest.addAll(b);
        rest.remove(first);
        for (Delivery delivery : rest) {
            assertThat(markSent(delivery, a.contains(delivery) ? "replica-a:1" : "replica-b:1")).isTrue();
        }
        assertThat(Outbox.query("SELECT count(*) AS n FROM notifications.delivery WHERE event_type = 'PaymentRefunded' "
                + "AND status <> 'SENT'").get(0).get("n")).isEqualTo(0L);
    }

    private boolean markSent(Delivery delivery, String owner) {
        return transactions.inTransaction(connection -> repository.markSent(connection, List.of(delivery), owner))
                .map(marked -> marked.contains(delivery.id()))
                .await().atMost(WAIT);
    }

    private static List<Long> ids(List<Delivery> claimed) {
        return claimed.stream().map(Delivery::id).toList();
    }
}
