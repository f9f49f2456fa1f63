package dev.lunas.systemtest.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log files the services wrote in this run, as they are on disk now. Standard output carries the JSON
 * log; a line without its end-of-line is one a {@code kill -9} cut short and is left out (it is always the
 * last of its file, because every start writes new files).
 */
public final class ServiceLogs {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of a log file. */
    public record Line(Path file, int number, String text) {
        @Override
        public String toString() {
            return file.getFileName() + ":" + number + ": " + text;
        }
    }

    private final List<Path> files;

    ServiceLogs(List<Path> files) {
        this.files = List.copyOf(files);
    }

    public List<Path> files() {
        return files;
    }

    /** Every complete line of every file, standard error included. */
    public List<Line> lines() {
        return lines(files);
    }

    /** Every complete line of the JSON logs (standard output). */
    public List<Line> jsonLogLines() {
        return lines(files.stream().filter(file -> !file.getFileName().toString().endsWith(".stderr.log")).toList());
    }

    /** The JSON logs' lines that are not a JSON object. */
    public List<Line> nonJsonLines() {
        return jsonLogLines().stream().filter(line -> !parse(line).map(JsonNode::isObject).orElse(false)).toList();
    }

    /** Every JSON log record, in file order. */
    public List<JsonNode> records() {
        List<JsonNode> records = new ArrayList<>();
        for (Line line : jsonLogLines()) {
            parse(line).filter(JsonNode::isObject).ifPresent(records::add);
        }
        return records;
    }

    private static Optional<JsonNode> parse(Line line) {
        try {
            return Optional.of(JSON.readTree(line.text()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<Line> lines(List<Path> files) {
        List<Line> lines = new ArrayList<>();
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue;
            }
            String content;
            try {
                content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            int complete = content.lastIndexOf('\n') + 1;
            List<String> texts = content.substring(0, complete).lines().toList();
            for (int i = 0; i < texts.size(); i++) {
                lines.add(new Line(file, i + 1, texts.get(i)));
            }
        }
        return lines;
    }
}
