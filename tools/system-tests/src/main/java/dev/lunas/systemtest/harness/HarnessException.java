package dev.lunas.systemtest.harness;

/** The system under test could not be brought into the state asked for; the message says why and where to look. */
public class HarnessException extends RuntimeException {

    public HarnessException(String message) {
        super(message);
    }

    public HarnessException(String message, Throwable cause) {
        super(message, cause);
    }
}
