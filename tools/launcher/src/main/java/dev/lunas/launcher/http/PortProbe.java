package dev.lunas.launcher.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Finds out whether a TCP port can be listened on, before anything is started on it. */
public final class PortProbe {

    /** Linux's default ephemeral range, for systems that do not publish theirs. */
    private static final int EPHEMERAL_DEFAULT_LOW = 32768;
    private static final int LISTEN_LOW = 10000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int EPHEMERAL_LOW = ephemeralLow();

    private PortProbe() {
    }

    /**
     * A port nothing listens on, for a server that is started a moment later. It is chosen below the
     * ephemeral range: a port the operating system hands out for {@code bind(0)} lies inside that range, where
     * any outgoing connection (a service's JDBC pool warming up, say) may take it before the server binds it.
     * Below the range only another listener can, and the probe has just seen there is none. Never the same port
     * twice in one JVM.
     */
    public static int freeListenPort() {
        int high = EPHEMERAL_LOW - 1;
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LISTEN_LOW, high + 1);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("No free TCP port between " + LISTEN_LOW + " and " + high));
    }

    private static int ephemeralLow() {
        try {
            // a line read: Files.readString trusts procfs's reported size of 0 and may stop short
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > LISTEN_LOW + 1000 ? low : EPHEMERAL_DEFAULT_LOW;
        } catch (IOException | RuntimeException e) {
            return EPHEMERAL_DEFAULT_LOW;
        }
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
