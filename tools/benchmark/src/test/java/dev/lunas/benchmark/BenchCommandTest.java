package dev.lunas.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @TempDir
    Path folder;

    @Test
    void optionsDefaultToTheRepositoryAndItsResultsFolder() {
        BenchCommand.Options options = BenchCommand.Options.parse(List.of("--root", folder.toString(), "--quick")).orElseThrow();

        assertThat(options.quick()).isTrue();
        assertThat(options.root()).isEqualTo(folder.toAbsolutePath());
        assertThat(options.results()).isEqualTo(folder.toAbsolutePath().resolve("tools/benchmark/results"));
        assertThat(BenchCommand.Options.parse(List.of("--results", "/tmp/r")).orElseThrow().results()).isEqualTo(Path.of("/tmp/r"));
        assertThat(BenchCommand.Options.parse(List.of("--fast"))).isEmpty();
        assertThat(BenchCommand.Options.parse(List.of("--root"))).isEmpty();
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingStarts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(BenchCommand.run(List.of("--loud"), new PrintStream(out, true))).isEqualTo(2);
        assertThat(out.toString()).contains(BenchCommand.USAGE);
    }

    @Test
    void aLocalRunHoldingItsLockIsNoticed() throws Exception {
        assertThat(BenchCommand.concurrentLocalRun(folder)).startsWith("No ./lunas run");
        Path lock = Files.createDirectories(folder.resolve(".lunas")).resolve("launcher.lock");
        Files.writeString(lock, "4242");
        assertThat(BenchCommand.concurrentLocalRun(folder)).startsWith("No ./lunas run");
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            // a lock held by another JVM, as ./lunas run holds it; within one JVM tryLock reports the overlap instead
            assertThat(BenchCommand.concurrentLocalRun(folder)).isNotEmpty();
        }
    }
}
