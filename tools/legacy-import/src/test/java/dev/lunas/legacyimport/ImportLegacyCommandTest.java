package dev.lunas.legacyimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportLegacyCommandTest {

    private static final Map<String, String> ENV = Map.of(
            "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://db.internal:5432/lunas",
            "QUARKUS_DATASOURCE_USERNAME", "lunas_orders",
            "QUARKUS_DATASOURCE_PASSWORD", "secret",
            "COURSE_ACCESS_URL", "https://kelas.example.id");

    @Test
    void theLunasDatabaseComesFromOrderServicesVariablesAndThePasswordOnlyFromThere() {
        ImportSettings settings = ImportLegacyCommand.settings(List.of("--db", "orders.db", "--dry-run"), ENV);
        assertThat(settings).isEqualTo(new ImportSettings(Path.of("orders.db"), "jdbc:postgresql://db.internal:5432/lunas",
                "lunas_orders", "secret", "https://kelas.example.id", null, ZoneOffset.UTC, true));
        ImportSettings flags = ImportLegacyCommand.settings(List.of("--db", "orders.db", "--jdbc-url",
                "jdbc:postgresql://other/lunas", "--username", "importer", "--access-url", "https://kursus.example.id",
                "--package", "ai-movie-course", "--zone", "Asia/Jakarta"), ENV);
        assertThat(flags).isEqualTo(new ImportSettings(Path.of("orders.db"), "jdbc:postgresql://other/lunas", "importer",
                "secret", "https://kursus.example.id", "ai-movie-course", ZoneId.of("Asia/Jakarta"), false));
        assertThatThrownBy(() -> ImportLegacyCommand.settings(List.of("--db", "orders.db", "--password", "x"), ENV))
                .hasMessage("unknown option '--password'");
    }

    @Test
    void wrongUsageIsRefusedBeforeAnythingIsRead() {
        assertThatThrownBy(() -> ImportLegacyCommand.settings(List.of("--dry-run"), ENV)).hasMessageContaining("--db");
        assertThatThrownBy(() -> ImportLegacyCommand.settings(List.of("--db"), ENV)).hasMessage("--db needs a value");
        assertThatThrownBy(() -> ImportLegacyCommand.settings(List.of("--db", "orders.db"), Map.of()))
                .hasMessageContaining("QUARKUS_DATASOURCE_JDBC_URL or --jdbc-url");
        assertThatThrownBy(() -> ImportLegacyCommand.settings(List.of("--db", "orders.db", "--jdbc-url", "jdbc:mysql://x/y"), ENV))
                .hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> ImportLegacyCommand.settings(List.of("--db", "orders.db", "--zone", "Jakarta"), ENV))
                .hasMessageContaining("no time zone");
        assertThatThrownBy(() -> ImportLegacyCommand.settings(List.of("--db", "orders.db", "--access-url", "kelas"), ENV))
                .hasMessageContaining("http(s) URL");
    }

    @Test
    void aFileThatIsNotThereIsNotCreatedAndTheRunFailsWithStatusOne(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ImportLegacyCommand.run(List.of("--db", dir.resolve("orders.db").toString()), ENV,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("There is no readable file");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("secret");
        assertThat(dir.resolve("orders.db")).doesNotExist();
    }
}
