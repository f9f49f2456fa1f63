package dev.lunas.common.logging;

import java.util.ArrayList;
import java.util.List;

/**
 * The business events a unit of work produced. They are written to the log only after its transaction
 * committed, so the log never reports a change that was rolled back: a unit of work adds to its journal
 * inside the transaction and the caller writes it out once the transaction has committed.
 */
public final class Journal {

    private enum Level { INFO, WARN, CRITICAL }

    private record Entry(Level level, String eventType, Object orderId, String message) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public Journal info(String eventType, Object orderId, String format, Object... args) {
        entries.add(new Entry(Level.INFO, eventType, orderId, String.format(format, args)));
        return this;
    }

    /** Something unusual that needs no one now but should stand out when someone looks. */
    public Journal warn(String eventType, Object orderId, String format, Object... args) {
        entries.add(new Entry(Level.WARN, eventType, orderId, String.format(format, args)));
        return this;
    }

    /** Something a person must look at now; logged with {@code alert=critical}. */
    public Journal critical(String eventType, Object orderId, String format, Object... args) {
        entries.add(new Entry(Level.CRITICAL, eventType, orderId, String.format(format, args)));
        return this;
    }

    public void writeTo(EventLog log) {
        for (Entry entry : entries) {
            switch (entry.level()) {
                case CRITICAL -> log.critical(entry.eventType(), entry.orderId(), "%s", entry.message());
                case WARN -> log.warn(entry.eventType(), entry.orderId(), "%s", entry.message());
                default -> log.info(entry.eventType(), entry.orderId(), "%s", entry.message());
            }
        }
        entries.clear();
    }
}
