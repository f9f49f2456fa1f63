package dev.lunas.launcher.midtrans;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.http.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's memory across restarts, as Midtrans remembers its transactions while the local database
 * keeps the orders: one JSON line per change (token issued, method chosen, payment ended, page expired),
 * replayed when the simulator starts. Notifications still under way are not kept; the services' Get Status
 * reconciliation is what covers those, as it would with Midtrans.
 */
final class Journal implements AutoCloseable {

    /** One change, as replayed. */
    record Entry(String type, String orderId, Instant at, JsonNode data) {
    }

    private final Path file;
    private BufferedWriter out;

    private Journal(Path file) {
        this.file = file;
    }

    /** A journal in {@code file}; with {@code null} nothing is kept and the simulator forgets all when it stops. */
    static Journal at(Path file) {
        return new Journal(file);
    }

    /** Every change recorded so far, oldest first; a line cut short by a crash is skipped. */
    synchronized List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        if (file == null || !Files.isRegularFile(file)) {
            return entries;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Json.parseObject(line.getBytes(StandardCharsets.UTF_8))
                        .filter(e -> e.hasNonNull("type") && e.hasNonNull("order_id") && e.hasNonNull("at"))
                        .ifPresent(e -> entries.add(new Entry(e.path("type").asText(), e.path("order_id").asText(),
                                Instant.parse(e.path("at").asText()), e)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the simulator journal " + file, e);
        }
        return entries;
    }

    void tokenIssued(String orderId, String token, Instant at, JsonNode request, List<URI> notificationUrls) {
        ObjectNode entry = entry("token", orderId, at).put("token", token);
        entry.set("request", request);
        notificationUrls.forEach(url -> entry.withArray("notification_urls").add(url.toString()));
        append(entry);
    }

    void methodChosen(String orderId, String transactionId, String vaNumber, Instant at) {
        append(entry("choose", orderId, at).put("transaction_id", transactionId).put("va_number", vaNumber));
    }

    void finished(String orderId, Transaction.Stage stage, Instant at) {
        append(entry("finish", orderId, at).put("status", stage.status));
    }

    void pageExpired(String orderId, Instant at) {
        append(entry("page_expired", orderId, at));
    }

    /** Forgets everything (the simulator's reset). */
    synchronized void clear() {
        if (file == null) {
            return;
        }
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear the simulator journal " + file, e);
        }
    }

    private static ObjectNode entry(String type, String orderId, Instant at) {
        return Json.object().put("type", type).put("order_id", orderId).put("at", at.toString());
    }

    private synchronized void append(ObjectNode entry) {
        if (file == null) {
            return;
        }
        try {
            if (out == null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                boolean cutShort = endsMidLine();
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                if (cutShort) {
                    // a crash left half a line: end it, so it does not swallow the next entry
                    out.newLine();
                }
            }
            out.write(Json.write(entry));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the simulator journal " + file, e);
        }
    }

    private boolean endsMidLine() throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return false;
        }
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            return last.get(0) != '\n';
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // what was flushed is kept; nothing else to do while stopping
            }
            out = null;
        }
    }
}
