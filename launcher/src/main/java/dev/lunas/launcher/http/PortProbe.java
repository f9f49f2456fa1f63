package dev.lunas.launcher.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds out whether a TCP port can be listened on, before anything is started on it. */
public final class PortProbe {

    private PortProbe() {
    }

    /**
     * True when nothing listens on the port, on any interface: a wildcard bind collides both with a
     * process bound to all interfaces and with one bound to loopback only.
     */
    public static boolean isFree(int port) {
        return canBind(new InetSocketAddress(port)) && canBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** @throws PortInUseException naming {@code owner} when the port is taken */
    public static void requireFree(int port, String owner) {
        if (!isFree(port)) {
            throw new PortInUseException(port, owner);
        }
    }

    private static boolean canBind(InetSocketAddress address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
