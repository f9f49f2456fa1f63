package dev.lunas.benchmark.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a report as {@code <name>.json} (every figure, the pgbench outputs and scripts) and {@code <name>.md} (the
 * tables). Each file is written beside its final name and moved into place, so a run that dies midway never leaves
 * half a result where the previous run's complete one was.
 */
public final class ResultFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFiles() {
    }

    /** @return the Markdown file */
    public static Path write(Figures.Report report, Path folder, String name) throws IOException {
        Files.createDirectories(folder);
        replace(folder.resolve(name + ".json"), JSON.writeValueAsString(report));
        Path markdown = folder.resolve(name + ".md");
        replace(markdown, MarkdownReport.render(report));
        return markdown;
    }

    public static Figures.Report read(Path json) throws IOException {
        return JSON.readValue(json.toFile(), Figures.Report.class);
    }

    private static void replace(Path file, String content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
