package dev.lunas.order.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** Collects every ERROR line the service logs while it is open, to prove a refusal logged none. */
public final class ErrorLogs implements AutoCloseable {

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(describe(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    // EventLog lines carry their event type in the record's MDC and format printf-style.
    private static String describe(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            return ext.getLoggerName() + " " + ext.getMdc("event_type") + ": " + ext.getFormattedMessage();
        }
        return record.getLoggerName() + ": " + record.getMessage();
    }

    private ErrorLogs() {
        Logger.getLogger("").addHandler(handler);
    }

    public static ErrorLogs open() {
        return new ErrorLogs();
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
