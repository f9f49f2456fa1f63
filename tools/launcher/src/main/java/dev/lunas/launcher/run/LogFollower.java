package dev.lunas.launcher.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows a log file that a child process writes directly (so its log is complete even if the launcher
 * dies) and hands each complete line to a consumer, like {@code tail -f}.
 */
final class LogFollower implements AutoCloseable {

    private static final long IDLE_WAIT_MILLIS = 200;

    private final Path file;
    private final Consumer<String> lines;
    private final Thread thread;
    private volatile boolean closing;

    LogFollower(String name, Path file, Consumer<String> lines) {
        this.file = file;
        this.lines = lines;
        this.thread = new Thread(this::follow, name + "-log");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long position = 0;
        while (true) {
            boolean last = closing;
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                in.seek(position);
                int read;
                while ((read = in.read(buffer)) > 0) {
                    position += read;
                    for (int i = 0; i < read; i++) {
                        if (buffer[i] == '\n') {
                            emit(partial);
                        } else {
                            partial.write(buffer[i]);
                        }
                    }
                }
            } catch (IOException e) {
                // not created yet, or rotated away: look again
            }
            if (last) {
                emit(partial);
                return;
            }
            try {
                Thread.sleep(IDLE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                closing = true;
            }
        }
    }

    private void emit(ByteArrayOutputStream partial) {
        if (partial.size() > 0) {
            String line = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            lines.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
    }

    /** Hands over what is still unread, then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code count} lines of a file, for error reports. */
    static List<String> tail(Path file, int count) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Deque<String> last = new ArrayDeque<>(count);
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (last.size() == count) {
                    last.removeFirst();
                }
                last.addLast(line);
            }
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
        return List.copyOf(last);
    }
}
