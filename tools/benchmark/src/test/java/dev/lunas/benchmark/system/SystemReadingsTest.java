package dev.lunas.benchmark.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.launcher.sink.MailSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemReadingsTest {

    @TempDir
    Path folder;

    @Test
    void residentMemoryComesFromProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 2923812 kB\nVmHWM:\t  361472 kB\nVmRSS:\t  353340 kB\nThreads:\t32\n";

        ProcessMemory memory = ProcessMemory.parse(status).orElseThrow();

        assertThat(memory.residentKb()).isEqualTo(353_340);
        assertThat(memory.peakResidentKb()).isEqualTo(361_472);
        assertThat(memory.residentMb()).isEqualTo(353_340 / 1024.0);
        assertThat(ProcessMemory.parse("Name:\tjava\n")).isEmpty();
        assertThat(ProcessMemory.of(ProcessHandle.current().pid())).isPresent();
    }

    @Test
    void aMailIsTiedToItsEventByItsMessageId() {
        MailLog log = new MailLog();
        Instant at = Instant.parse("2026-11-21T23:00:00Z");

        log.accepted(new MailSink.Accepted("<01A2006E-41F6-7F6D-956F-A39E558E04D5.payment-instructions@lunas.local>", "Bayar",
                List.of("budi@example.com"), at));
        log.accepted(new MailSink.Accepted("<something-else@example.com>", "?", List.of(), at));
        log.accepted(new MailSink.Accepted(null, "?", List.of(), at));

        assertThat(log.all()).containsExactly(new MailLog.Mail("01a2006e-41f6-7f6d-956f-a39e558e04d5", "payment-instructions", at));
    }

    @Test
    void thePoolSizeIsTheEnvironmentsElseTheDevProfilesElseThePackagedDefault() throws IOException {
        Path runJar = packagedService("quarkus.datasource.reactive.max-size=10\n");
        Path devJar = packagedService("quarkus.datasource.reactive.max-size=10\n%dev.quarkus.datasource.reactive.max-size=4\n");

        assertThat(ServiceSettings.reactivePoolSize(runJar, Map.of())).isEqualTo(10);
        assertThat(ServiceSettings.reactivePoolSize(devJar, Map.of())).isEqualTo(4);
        assertThat(ServiceSettings.reactivePoolSize(runJar, Map.of("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE", "7"))).isEqualTo(7);
        assertThat(ServiceSettings.reactivePoolSize(packagedService(""), Map.of())).as("Quarkus's own default").isEqualTo(20);
    }

    /** target/quarkus-app as the Quarkus build leaves it: quarkus-run.jar beside app/<service>.jar with its settings. */
    private Path packagedService(String properties) throws IOException {
        Path app = Files.createDirectories(Files.createTempDirectory(folder, "service").resolve("quarkus-app").resolve("app"));
        try (OutputStream file = Files.newOutputStream(app.resolve("order-service-1.0.0-SNAPSHOT.jar"));
             JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new JarEntry("application.properties"));
            jar.write(properties.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return app.getParent().resolve("quarkus-run.jar");
    }
}
