package dev.lunas.notification.service;

import dev.lunas.notification.model.Delivery;
import dev.lunas.notification.repository.DeliveryRepository;
import dev.lunas.notification.repository.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Writes SENT marks in groups: a mark asked for while a write is under way joins the next write, so under a
 * backlog one statement marks what a whole round of sends finished, and a lone mark is written at once (no
 * timer, no added wait). Each mark is answered only after its statement committed: true when the row was
 * marked, false when the worker had lost its lease. A failed write fails every mark in it; the caller treats
 * that as an outcome it could not record (the lease expires and the rescuer retries the delivery).
 */
@ApplicationScoped
class SentMarks {

    /** Upper bound of marks per statement, so a statement's arrays stay small whatever the backlog. */
    static final int MAX_GROUP = 256;

    private record Mark(Delivery delivery, String workerId, CompletableFuture<Boolean> answer) {
    }

    private final Transactions transactions;
    private final DeliveryRepository deliveries;
    private final List<Mark> waiting = new ArrayList<>();
    private boolean writing;

    SentMarks(Transactions transactions, DeliveryRepository deliveries) {
        this.transactions = transactions;
        this.deliveries = deliveries;
    }

    /** Marks the delivery SENT if {@code workerId} still holds its lease; true once written, false if the lease was lost. */
    Uni<Boolean> mark(Delivery delivery, String workerId) {
        return Uni.createFrom().deferred(() -> {
            Mark mark = new Mark(delivery, workerId, new CompletableFuture<>());
            List<Mark> group;
            synchronized (waiting) {
                waiting.add(mark);
                group = writing ? null : takeGroup();
            }
            if (group != null) {
                write(group);
            }
            return Uni.createFrom().completionStage(mark.answer());
        });
    }

    /** Takes the next group and notes a write under way; null (and no write) when nothing waits. Holds the lock. */
    private List<Mark> takeGroup() {
        if (waiting.isEmpty()) {
            writing = false;
            return null;
        }
        List<Mark> group = new ArrayList<>(waiting.subList(0, Math.min(MAX_GROUP, waiting.size())));
        waiting.subList(0, group.size()).clear();
        writing = true;
        return group;
    }

    private void write(List<Mark> group) {
        Map<String, List<Mark>> byWorker = group.stream().collect(Collectors.groupingBy(Mark::workerId));
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Map.Entry<String, List<Mark>> worker : byWorker.entrySet()) {
            List<Mark> marks = worker.getValue();
            all = all.chain(() -> transactions.inStatement(client ->
                            deliveries.markSent(client, marks.stream().map(Mark::delivery).toList(), worker.getKey()))
                    .invoke(marked -> answer(marks, marked))
                    .replaceWithVoid());
        }
        all.subscribe().with(done -> next(), failure -> {
            group.forEach(mark -> mark.answer().completeExceptionally(failure));
            next();
        });
    }

    private static void answer(List<Mark> marks, Set<Long> marked) {
        marks.forEach(mark -> mark.answer().complete(marked.contains(mark.delivery().id())));
    }

    private void next() {
        List<Mark> group;
        synchronized (waiting) {
            group = takeGroup();
        }
        if (group != null) {
            write(group);
        }
    }
}
