package dev.lunas.launcher.http;

/** A port the launcher needs is held by another process. */
public final class PortInUseException extends RuntimeException {

    private final int port;

    public PortInUseException(int port, String owner) {
        super("Port " + port + " (" + owner + ") is already in use by another process");
        this.port = port;
    }

    public int port() {
        return port;
    }
}
