package dev.lunas.common.problem;

import java.util.function.Predicate;

/** Reads a failure's cause chain: what a reactive stack wraps once or several times is still what happened. */
public final class Failures {

    /** Deep enough for any wrapping seen here; bounded so a cause cycle cannot loop. */
    private static final int MAX_CAUSE_DEPTH = 16;

    private Failures() {
    }

    /** True when the failure or one of its causes matches. */
    public static boolean anyCause(Throwable failure, Predicate<Throwable> matches) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++, cause = cause.getCause()) {
            if (matches.test(cause)) {
                return true;
            }
        }
        return false;
    }
}
