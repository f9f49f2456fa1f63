package dev.lunas.launcher.run;

/**
 * Something stops the local system from starting that the person running it can fix (a port in use, a
 * service not built, a service that does not come up). The message says what and how; no stack trace is shown.
 */
public final class LaunchException extends RuntimeException {

    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
