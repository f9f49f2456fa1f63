package dev.lunas.notification.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.Delivery;
import dev.lunas.notification.testing.NotificationPeers;
import dev.lunas.notification.testing.Outbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * SENT marks asked for at once are written in groups, and each is still answered for its own row: marked when
 * the worker held the lease, refused when it had lost it, whatever else its group held.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(NotificationPeers.class)
class SentMarksTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String WORKER = "sent-marks-test:1";

    @Inject
    SentMarks marks;

    @Test
    void concurrentMarksAreAnsweredEachForItsOwnLease() {
        List<Delivery> held = new ArrayList<>();
        List<Delivery> lost = new ArrayList<>();
        for (int i = 0; i < SentMarks.MAX_GROUP + 44; i++) {
            Delivery delivery = sending(i % 5 == 0 ? "another-worker:1" : WORKER);
            (i % 5 == 0 ? lost : held).add(delivery);
        }

        List<Uni<Boolean>> answers = new ArrayList<>();
        held.forEach(delivery -> answers.add(marks.mark(delivery, WORKER)));
        lost.forEach(delivery -> answers.add(marks.mark(delivery, WORKER)));
        List<Boolean> answered = Uni.join().all(answers).andFailFast().await().atMost(WAIT);

        assertThat(answered.subList(0, held.size())).containsOnly(true);
        assertThat(answered.subList(held.size(), answered.size())).containsOnly(false);
        Map<String, Long> statuses = Outbox.query("SELECT status FROM notifications.delivery WHERE event_type = 'SentMarksProbe'")
                .stream().collect(Collectors.groupingBy(row -> (String) row.get("status"), Collectors.counting()));
        assertThat(statuses).containsOnly(Map.entry("SENT", (long) held.size()), Map.entry("SENDING", (long) lost.size()));
    }

    @Test
    void aLoneMarkIsWrittenAtOnce() {
        Delivery delivery = sending(WORKER);
        assertThat(marks.mark(delivery, WORKER).await().atMost(WAIT)).isTrue();
        assertThat(marks.mark(delivery, WORKER).await().atMost(WAIT)).isFalse();
    }

    /** A delivery in SENDING, leased to the worker for an hour (out of the rescuer's and the dispatcher's reach). */
    private static Delivery sending(String worker) {
        UUID eventId = UUID.randomUUID();
        long id = ((Number) Outbox.query("INSERT INTO notifications.delivery (event_id, source, event_type, aggregate_type, "
                        + "aggregate_id, channel, template, payload, event_created_at, status, attempts, locked_by, locked_until) "
                        + "VALUES ('" + eventId + "', 'payments', 'SentMarksProbe', 'payment', 'probe', 'INTERNAL', "
                        + "'payment-result', '{}'::jsonb, now(), 'SENDING', 1, '" + worker + "', now() + interval '1 hour') "
                        + "RETURNING id").get(0).get("id")).longValue();
        return new Delivery(id, eventId, "payments", "SentMarksProbe", "payment", "probe", Channel.INTERNAL,
                "payment-result", "{}", Instant.now(), 1, 0, null);
    }
}
