package dev.lunas.launcher.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HTTP server on the loopback interface: the fakes are for this machine only, and their control
 * endpoints must not be reachable from the network. Each request gets its own thread, so a deliberately
 * hanging answer never holds up the others.
 */
public final class LocalHttpServer implements AutoCloseable {

    static {
        // The JDK server writes an answer's headers and body separately; with Nagle's algorithm on, the body then
        // waits for the client's delayed ACK, about 40 ms on Linux, which every call to the fakes would pay. The
        // server reads this once, when its first instance is made, which is after this class is loaded.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads;

    private LocalHttpServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Starts serving on the given port (0 picks a free one).
     *
     * @throws PortInUseException when another process holds the port
     */
    public static LocalHttpServer start(String name, int port, HttpHandler handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (BindException e) {
            throw new PortInUseException(port, name);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the " + name + " on port " + port, e);
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, name + "-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", handler);
        server.start();
        return new LocalHttpServer(server, threads);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
