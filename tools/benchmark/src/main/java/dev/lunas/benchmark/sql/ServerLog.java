package dev.lunas.benchmark.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads PostgreSQL's JSON log from a byte offset onwards: one JSON object per line, written by the server's
 * logging collector in the order the backends reported them.
 */
public final class ServerLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public ServerLog(Path file) {
        this.file = file;
    }

    /** Where the log ends now; {@link #since} reads what is written after it. */
    public long end() {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the size of " + file, e);
        }
    }

    /** The complete records written after {@code offset}; a line still being written is left for later. */
    public List<LogEntry> since(long offset) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= offset) {
                return List.of();
            }
            byte[] bytes = new byte[Math.toIntExact(length - offset)];
            in.seek(offset);
            in.readFully(bytes);
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    static List<LogEntry> parse(String text) {
        List<LogEntry> entries = new ArrayList<>();
        int lineStart = 0;
        long position = 0;
        while (true) {
            int newline = text.indexOf('\n', lineStart);
            if (newline < 0) {
                return entries;
            }
            String line = text.substring(lineStart, newline).strip();
            if (!line.isEmpty()) {
                entries.add(entry(line, position));
            }
            position++;
            lineStart = newline + 1;
        }
    }

    private static LogEntry entry(String line, long position) {
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("Not a jsonlog record: " + line, e);
        }
        return new LogEntry(position, record.path("application_name").asText(""), record.path("pid").asLong(),
                record.path("vxid").asText(""), record.path("txid").asLong(0), record.path("message").asText(""),
                record.hasNonNull("detail") ? record.path("detail").asText() : null, record.path("query_id").asLong(0));
    }
}
