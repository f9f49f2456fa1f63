package dev.lunas.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFollowerTest {

    @TempDir
    Path folder;

    @Test
    void handsOverCompleteLinesAsTheFileGrowsAndTheRestWhenClosed() throws IOException {
        Path log = folder.resolve("service.log");
        List<String> lines = new CopyOnWriteArrayList<>();
        try (LogFollower follower = new LogFollower("service", log, lines::add)) {
            append(log, "first line\nsecond ");
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() == 1);
            append(log, "line\r\nunfinished");
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() == 2);
            assertThat(lines).containsExactly("first line", "second line");
        }
        assertThat(lines).containsExactly("first line", "second line", "unfinished");
    }

    @Test
    void theTailOfAFileIsItsLastLines() throws IOException {
        Path log = folder.resolve("service.log");
        append(log, "1\n2\n3\n4\n");

        assertThat(LogFollower.tail(log, 2)).containsExactly("3", "4");
        assertThat(LogFollower.tail(folder.resolve("missing.log"), 2)).isEmpty();
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
