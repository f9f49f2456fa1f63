package dev.lunas.launcher.sink;

import dev.lunas.launcher.http.PortInUseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pass-through in front of an SMTP server that holds back each answer to the end of a mail's data ("250 OK") by a
 * fixed latency, as a provider takes time to accept a mail. Each connection waits on its own, so as many mails are in
 * hand-off at once as the sender has connections. (GreenMail hands every mail over under one lock, so delaying
 * inside it would let only one mail through at a time.)
 */
final class SmtpLatency implements AutoCloseable {

    private static final byte[] END_OF_DATA = {'\r', '\n', '.', '\r', '\n'};

    private final ServerSocket listener;
    private final InetSocketAddress server;
    private final Duration latency;
    private final ExecutorService threads;
    private volatile boolean closed;

    private SmtpLatency(ServerSocket listener, InetSocketAddress server, Duration latency) {
        this.listener = listener;
        this.server = server;
        this.latency = latency;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "smtp-latency-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::accept);
    }

    /**
     * Listens on {@code port} of the loopback interface (0 picks a free one) and forwards to {@code serverPort}.
     *
     * @throws PortInUseException when another process holds the port
     */
    static SmtpLatency start(int port, int serverPort, Duration latency) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            try {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            } catch (BindException e) {
                listener.close();
                throw new PortInUseException(port, "mail sink (SMTP)");
            }
            return new SmtpLatency(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort), latency);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen for SMTP on port " + port, e);
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(server);
                AtomicLong answerNotBefore = new AtomicLong();
                threads.execute(() -> pump(client, upstream, answerNotBefore, true));
                threads.execute(() -> pump(upstream, client, answerNotBefore, false));
            } catch (IOException e) {
                // the listener was closed, or the server behind it is gone: this connection ends, the next is tried
            }
        }
    }

    /**
     * Copies one direction of a connection. From the client, it watches for the end of a mail's data and sets when
     * the server's answer may be passed on; towards the client, it waits until then before passing on what the
     * server answered.
     */
    private void pump(Socket from, Socket to, AtomicLong answerNotBefore, boolean fromClient) {
        byte[] buffer = new byte[8192];
        int matched = 0;
        try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                if (fromClient) {
                    for (int i = 0; i < read; i++) {
                        matched = buffer[i] == END_OF_DATA[matched] ? matched + 1 : (buffer[i] == END_OF_DATA[0] ? 1 : 0);
                        if (matched == END_OF_DATA.length) {
                            answerNotBefore.set(System.nanoTime() + latency.toNanos());
                            matched = 0;
                        }
                    }
                } else {
                    holdUntil(answerNotBefore.getAndSet(0));
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed the connection; closing both ends it
        }
    }

    private static void holdUntil(long nanoTime) throws IOException {
        long wait;
        while (nanoTime != 0 && (wait = nanoTime - System.nanoTime()) > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("stopping", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
