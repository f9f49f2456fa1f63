package dev.lunas.common.logging;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

/**
 * A logger for business events. Each line carries {@code component}, {@code event_type} and, when
 * known, {@code order_id} as separate JSON fields, so operators can filter without parsing messages.
 * Callers pass ids and masked contact data only (see {@link Masking}); never secrets or bodies.
 * <p>
 * The fields are written onto the log record itself rather than into the thread's MDC: on a Vert.x
 * event loop outside a request, Quarkus keeps the MDC per duplicated context and a value put there can
 * be gone by the time the record is formatted.
 */
public final class EventLog {

    private static final String FQCN = EventLog.class.getName();

    private final Logger logger;
    private final String component;

    private EventLog(Logger logger, String component) {
        this.logger = logger;
        this.component = component;
    }

    public static EventLog of(Class<?> owner, String component) {
        return new EventLog(Logger.getLogger(owner.getName()), component);
    }

    public void info(String eventType, Object orderId, String format, Object... args) {
        log(org.jboss.logmanager.Level.INFO, null, null, eventType, orderId, format, args);
    }

    public void warn(String eventType, Object orderId, String format, Object... args) {
        log(org.jboss.logmanager.Level.WARN, null, null, eventType, orderId, format, args);
    }

    public void error(String eventType, Object orderId, String format, Object... args) {
        log(org.jboss.logmanager.Level.ERROR, null, null, eventType, orderId, format, args);
    }

    public void error(Throwable cause, String eventType, Object orderId, String format, Object... args) {
        log(org.jboss.logmanager.Level.ERROR, cause, null, eventType, orderId, format, args);
    }

    /**
     * A condition that needs a human now (money arrived for a closed order, a reversal, a mismatch).
     * Logged at ERROR with {@code alert=critical} so log-based alerting can page on it.
     */
    public void critical(String eventType, Object orderId, String format, Object... args) {
        log(org.jboss.logmanager.Level.ERROR, null, "critical", eventType, orderId, format, args);
    }

    private void log(Level level, Throwable cause, String alert, String eventType, Object orderId, String format,
                     Object... args) {
        if (!logger.isLoggable(level)) {
            return;
        }
        ExtLogRecord record = new ExtLogRecord(level, format, ExtLogRecord.FormatStyle.PRINTF, FQCN);
        record.setLoggerName(logger.getName());
        record.setParameters(args);
        record.setThrown(cause);
        record.copyMdc();
        record.putMdc("component", component);
        record.putMdc("event_type", eventType);
        if (orderId != null) {
            record.putMdc("order_id", orderId.toString());
        }
        if (alert != null) {
            record.putMdc("alert", alert);
        }
        logger.logRaw(record);
    }
}
