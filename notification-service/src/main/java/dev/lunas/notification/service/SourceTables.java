package dev.lunas.notification.service;

import dev.lunas.common.logging.EventLog;
import dev.lunas.notification.repository.SourceOutboxRepository;
import dev.lunas.notification.repository.Transactions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which source outbox tables exist. Producers migrate their own schemas, possibly after this service
 * started: until a table appears it is skipped (logged once) and looked for again on every cycle.
 */
@ApplicationScoped
public class SourceTables {

    private static final EventLog LOG = EventLog.of(SourceTables.class, "relay");

    private final SourceOutboxRepository outboxes;
    private final Transactions transactions;
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private final Set<String> reportedMissing = ConcurrentHashMap.newKeySet();

    public SourceTables(SourceOutboxRepository outboxes, Transactions transactions) {
        this.outboxes = outboxes;
        this.transactions = transactions;
    }

    /** The configured sources whose outbox table exists now, in configuration order. */
    public Uni<List<String>> present() {
        return Multi.createFrom().iterable(outboxes.sources())
                .onItem().transformToUniAndConcatenate(source -> isPresent(source).map(yes -> yes ? source : ""))
                .filter(source -> !source.isEmpty())
                .collect().asList();
    }

    /** A statement found the table gone (dropped and recreated by a producer's migration): look again. */
    public void forget(String source) {
        present.remove(source);
    }

    /** Whether the source's outbox table exists (remembered once seen, until a statement finds it gone). */
    public Uni<Boolean> isPresent(String source) {
        if (present.contains(source)) {
            return Uni.createFrom().item(true);
        }
        return transactions.read(connection -> outboxes.exists(connection, source)).invoke(exists -> {
            if (exists) {
                present.add(source);
                if (reportedMissing.remove(source)) {
                    LOG.info("OUTBOX_SOURCE_FOUND", null, "Outbox table %s appeared; relaying it from now on",
                            outboxes.table(source));
                }
            } else if (reportedMissing.add(source)) {
                LOG.warn("OUTBOX_SOURCE_MISSING", null,
                        "Outbox table %s does not exist yet (its service has not migrated); looking again every cycle",
                        outboxes.table(source));
            }
        });
    }
}
