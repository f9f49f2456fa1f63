package dev.lunas.launcher.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A run's results as {@code <name>.json} (every figure, for machines) and {@code <name>.md} (the tables, for
 * people), as the benchmark and the fault suite write them. Each file is written beside its final name and moved
 * into place, so a run that dies midway never leaves half a result where the previous run's complete one was.
 */
public final class ResultFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFiles() {
    }

    /**
     * @param figures what Jackson writes as the JSON file (a record, or a tree made with {@link #tree})
     * @return the Markdown file
     */
    public static Path write(Path folder, String name, Object figures, String markdown) throws IOException {
        Files.createDirectories(folder);
        replace(folder.resolve(name + ".json"), JSON.writeValueAsString(figures) + "\n");
        Path markdownFile = folder.resolve(name + ".md");
        replace(markdownFile, markdown);
        return markdownFile;
    }

    public static <T> T read(Path json, Class<T> type) throws IOException {
        return JSON.readValue(json.toFile(), type);
    }

    /** A value as the JSON it is written as, to build a file's tree from. */
    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    private static void replace(Path file, String content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
