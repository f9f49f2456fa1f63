package dev.lunas.common.http;

import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * The correlation id of the work in progress: taken from the caller's {@code X-Correlation-Id} when it
 * is well-formed, else made up; kept in the logging context so every log line and audit row of a
 * request carries it, and forwarded on calls to other services.
 */
public final class Correlation {

    public static final String HEADER = "X-Correlation-Id";
    public static final String MDC_KEY = "correlation_id";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private Correlation() {
    }

    /** The current id, or a fresh one (which then becomes current) outside any request. */
    public static String currentId() {
        Object id = MDC.get(MDC_KEY);
        if (id == null) {
            return begin(null);
        }
        return id.toString();
    }

    /** Starts a unit of work under the given id if it is usable, otherwise under a new one. */
    public static String begin(String candidate) {
        String id = candidate != null && WELL_FORMED.matcher(candidate).matches()
                ? candidate
                : UUID.randomUUID().toString();
        MDC.put(MDC_KEY, id);
        return id;
    }
}
