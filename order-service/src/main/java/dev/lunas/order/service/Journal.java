package dev.lunas.order.service;

import dev.lunas.common.logging.EventLog;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The business events a unit of work produced. They are written to the log only after its transaction
 * committed, so the log never reports a change that was rolled back.
 */
public final class Journal {

    private record Entry(boolean critical, String eventType, UUID orderId, String message) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public Journal info(String eventType, UUID orderId, String format, Object... args) {
        entries.add(new Entry(false, eventType, orderId, String.format(format, args)));
        return this;
    }

    /** Something a person must look at now; logged with {@code alert=critical}. */
    public Journal critical(String eventType, UUID orderId, String format, Object... args) {
        entries.add(new Entry(true, eventType, orderId, String.format(format, args)));
        return this;
    }

    public void writeTo(EventLog log) {
        for (Entry entry : entries) {
            if (entry.critical()) {
                log.critical(entry.eventType(), entry.orderId(), "%s", entry.message());
            } else {
                log.info(entry.eventType(), entry.orderId(), "%s", entry.message());
            }
        }
        entries.clear();
    }
}
