package dev.lunas.launcher.fault;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A TCP proxy on a loopback port in front of a real server (the SMTP sink), which can be made to fail the way
 * a network or a mail provider does: pass everything through, refuse connections (the server is down, its
 * open connections cut), or accept connections and never answer (the server hangs). It also understands
 * just enough SMTP to imitate a provider's hand-off latency (the reply to each finished mail is held back) and
 * to hang only the mails addressed to chosen recipients.
 *
 * <p>A hang never lets the held mail through later: the server never sees the end of a hung mail, and when the
 * hang ends the hung connections are cut, as when a stuck server is restarted. So a hang costs the client a
 * timeout and a retry, never a mail the server got without the client knowing.
 */
public final class FaultProxy implements AutoCloseable {

    /** What happens to new and open connections. */
    public enum Mode {
        /** Traffic flows (with the SMTP latency and recipient hangs that are set). */
        PASS,
        /** The port is closed: connecting fails at once, and open connections are cut. */
        REFUSE,
        /** Connections are accepted, and nothing goes through in either direction on any connection. */
        HANG
    }

    private static final int BUFFER = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final String name;
    private final InetSocketAddress target;
    private final int port;
    private final Consumer<String> events;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Instant> acceptTimes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile Duration mailReplyLatency = Duration.ZERO;
    private volatile Predicate<String> hungRecipients = recipient -> false;
    private volatile boolean closed;
    private ServerSocket listener;

    private FaultProxy(String name, int port, InetSocketAddress target, Consumer<String> events) {
        this.name = name;
        this.target = target;
        this.events = events;
        this.listener = bind(port);
        this.port = listener.getLocalPort();
        startAccepting(listener);
    }

    /**
     * A proxy on loopback port {@code port} (0: a free one) that forwards to {@code targetPort} on the loopback
     * interface.
     */
    public static FaultProxy start(String name, int port, int targetPort, Consumer<String> events) {
        return new FaultProxy(name, port, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), events);
    }

    public int port() {
        return port;
    }

    /** Lets traffic through again; connections hung until now are cut (their server "restarted"). */
    public synchronized void pass() {
        switchTo(Mode.PASS);
    }

    /** The server is down: connection refused, and every open connection is cut. */
    public synchronized void refuse() {
        switchTo(Mode.REFUSE);
    }

    /** The server accepts connections and then says nothing, on new and on open connections alike. */
    public synchronized void hang() {
        switchTo(Mode.HANG);
    }

    private void switchTo(Mode next) {
        Mode previous = mode;
        if (previous == next) {
            return;
        }
        mode = next;
        events.accept(name + " proxy: " + previous + " → " + next);
        if (next == Mode.REFUSE) {
            closeQuietly(listener);
            listener = null;
            cut(connection -> true);
        } else {
            if (previous == Mode.REFUSE) {
                listener = bind(port);
                startAccepting(listener);
            }
            if (previous == Mode.HANG) {
                cut(Connection::hung);
            }
        }
    }

    /** Every mail's final reply ("250 OK" after the data) is held back this long, as a provider takes time to accept. */
    public void mailReplyLatency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.mailReplyLatency = latency;
        events.accept(name + " proxy: mail reply latency " + latency.toMillis() + " ms");
    }

    /**
     * Mails with a recipient matching {@code recipients} hang once their data is sent: the server never sees
     * the end of the mail and the client never gets an answer. Replacing the rule cuts the connections the old
     * one holds.
     */
    public void hangMailsTo(Predicate<String> recipients, String description) {
        this.hungRecipients = recipients;
        events.accept(name + " proxy: mails to " + description + " hang");
        cut(Connection::holdingMail);
    }

    /** Mails hang for no recipient any more; the connections holding hung mails are cut. */
    public void stopHangingMails() {
        hangMailsTo(recipient -> false, "nobody");
    }

    // ---- what the proxy saw --------------------------------------------------------------------------------

    /** The most connections open at once since the last {@link #resetPeak()}. */
    public int peakOpenConnections() {
        return peakOpen.get();
    }

    public void resetPeak() {
        peakOpen.set(open.size());
    }

    /** Connections accepted since {@code since}. */
    public List<Instant> acceptedSince(Instant since) {
        List<Instant> times = new ArrayList<>();
        for (Instant at : acceptTimes) {
            if (!at.isBefore(since)) {
                times.add(at);
            }
        }
        return times;
    }

    /** Mails whose data the server has in full and whose reply the client has not had yet. */
    public int mailsAwaitingReply() {
        return (int) open.stream().filter(Connection::awaitingMailReply).count();
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly(listener);
        cut(connection -> true);
    }

    // ---- plumbing -------------------------------------------------------------------------------------------

    private ServerSocket bind(int onPort) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 200);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("The " + name + " proxy cannot listen on port " + onPort, e);
        }
    }

    private void startAccepting(ServerSocket socket) {
        Thread acceptor = new Thread(() -> accept(socket), name + "-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return;
            }
            acceptTimes.add(Instant.now());
            Connection connection = new Connection(client);
            open.add(connection);
            peakOpen.accumulateAndGet(open.size(), Math::max);
            if (closed || mode == Mode.REFUSE) {
                connection.close();
            } else if (mode == Mode.HANG) {
                connection.hang();
            } else {
                connection.connectAndPump();
            }
        }
    }

    private void cut(Predicate<Connection> which) {
        for (Connection connection : List.copyOf(open)) {
            if (which.test(connection)) {
                connection.close();
            }
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // closing for good; nothing to do
        }
    }

    /** One client connection and, once connected, its connection to the server. */
    private final class Connection {

        private final Socket client;
        private final CountDownLatch closedSignal = new CountDownLatch(1);
        private final SmtpDialogue smtp = new SmtpDialogue();
        private volatile Socket server;
        private volatile boolean hung;
        private volatile boolean holdingMail;
        private volatile boolean awaitingMailReply;

        Connection(Socket client) {
            this.client = client;
        }

        boolean hung() {
            return hung;
        }

        boolean holdingMail() {
            return holdingMail;
        }

        boolean awaitingMailReply() {
            return awaitingMailReply;
        }

        /** Accepted while the server hangs: held open, never connected, until cut. */
        void hang() {
            hung = true;
        }

        void connectAndPump() {
            Thread connector = new Thread(() -> {
                try {
                    Socket upstream = new Socket();
                    upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
                    server = upstream;
                } catch (IOException e) {
                    close();
                    return;
                }
                Thread back = new Thread(this::serverToClient, name + "-proxy-down");
                back.setDaemon(true);
                back.start();
                clientToServer();
            }, name + "-proxy-up");
            connector.setDaemon(true);
            connector.start();
        }

        private void clientToServer() {
            byte[] buffer = new byte[BUFFER];
            try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    waitWhileHanging();
                    SmtpDialogue.Chunk chunk = smtp.feed(buffer, read);
                    if (chunk.endsMail() && chunk.recipients().stream().anyMatch(hungRecipients)) {
                        // the server never sees the end of this mail; the client waits until the connection is cut
                        holdingMail = true;
                        awaitClose();
                        return;
                    }
                    if (chunk.endsMail()) {
                        awaitingMailReply = true;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: the connection ends
            } finally {
                close();
            }
        }

        private void serverToClient() {
            byte[] buffer = new byte[BUFFER];
            try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    waitWhileHanging();
                    boolean mailReply = awaitingMailReply;
                    if (mailReply) {
                        sleep(mailReplyLatency);
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                    if (mailReply) {
                        awaitingMailReply = false;
                    }
                }
            } catch (IOException e) {
                // one side went away: the connection ends
            } finally {
                close();
            }
        }

        /** While the proxy hangs, nothing moves: the connection is marked hung and stays so until cut. */
        private void waitWhileHanging() {
            if (mode == Mode.HANG) {
                hung = true;
                awaitClose();
            }
        }

        private void awaitClose() {
            try {
                closedSignal.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void sleep(Duration latency) {
            if (latency.isZero()) {
                return;
            }
            try {
                closedSignal.await(latency.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            if (closedSignal.getCount() == 0) {
                return;
            }
            closedSignal.countDown();
            open.remove(this);
            awaitingMailReply = false;
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    /**
     * Follows the client's side of an SMTP dialogue closely enough to know each mail's recipients and the
     * moment its data ends (a line holding only "."). Lines are only looked at, never changed.
     */
    static final class SmtpDialogue {

        /** What a chunk of client bytes did: whether it ended a mail, and that mail's recipients. */
        record Chunk(boolean endsMail, List<String> recipients) {
        }

        private static final int MAX_LINE = 1_000;

        private final StringBuilder line = new StringBuilder();
        private final List<String> recipients = new ArrayList<>();
        private boolean inData;

        Chunk feed(byte[] bytes, int length) {
            boolean ended = false;
            List<String> endedRecipients = List.of();
            for (int i = 0; i < length; i++) {
                char c = (char) (bytes[i] & 0xff);
                if (c == '\n') {
                    String complete = line.toString().replace("\r", "");
                    line.setLength(0);
                    if (inData) {
                        if (complete.equals(".")) {
                            inData = false;
                            ended = true;
                            endedRecipients = List.copyOf(recipients);
                            recipients.clear();
                        }
                    } else {
                        command(complete);
                    }
                } else if (line.length() < (inData ? 2 : MAX_LINE)) {
                    line.append(c);
                }
            }
            return new Chunk(ended, endedRecipients);
        }

        private void command(String text) {
            String upper = text.trim().toUpperCase(Locale.ROOT);
            if (upper.startsWith("MAIL FROM") || upper.equals("RSET")) {
                recipients.clear();
            } else if (upper.startsWith("RCPT TO:")) {
                String address = text.trim().substring("RCPT TO:".length()).trim();
                int start = address.indexOf('<');
                int end = address.indexOf('>');
                recipients.add((start >= 0 && end > start ? address.substring(start + 1, end) : address)
                        .toLowerCase(Locale.ROOT));
            } else if (upper.equals("DATA")) {
                inData = true;
            }
        }
    }

    @Override
    public String toString() {
        return name + " proxy on " + port + " → " + target.getPort() + " (" + mode + ")";
    }
}
