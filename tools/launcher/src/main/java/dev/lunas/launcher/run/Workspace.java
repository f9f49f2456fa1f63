package dev.lunas.launcher.run;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the local run keeps its state: everything under {@code .lunas/} in the repository (ignored by git),
 * so deleting that folder starts afresh. Another run beside it (the benchmark, a system test) keeps its state in
 * a folder of its own, given as {@code home}.
 *
 * @param root the repository, where the packaged services are
 * @param home the folder of this run's database, logs, messages and lock
 */
public record Workspace(Path root, Path home) {

    private static final Pattern AGENT_JAR = Pattern.compile("lunas-launcher-.*parent-watch\\.jar");

    public Workspace {
        root = root.toAbsolutePath().normalize();
        home = home.toAbsolutePath().normalize();
    }

    /** The workspace of {@code ./lunas run}: {@code .lunas/} in the repository. */
    public Workspace(Path root) {
        this(root, root.resolve(".lunas"));
    }

    public Path postgresData() {
        return home().resolve("postgres");
    }

    public Path logs() {
        return home().resolve("logs");
    }

    public Path log(String component) {
        return logs().resolve(component + ".log");
    }

    public Path outbox() {
        return home().resolve("outbox");
    }

    /** What the Midtrans simulator remembers between runs, like the database beside it. */
    public Path midtransJournal() {
        return home().resolve("midtrans").resolve("journal.jsonl");
    }

    public Path lockFile() {
        return home().resolve("launcher.lock");
    }

    /** The packaged service ({@code ./mvnw package} leaves it there). */
    public Path serviceJar(Service service) {
        return root.resolve(service.moduleName()).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /**
     * The launcher's parent-watch agent, which makes a service JVM exit by itself when the JVM that started it dies:
     * beside the launcher's own jar (in a module's target/lib, or the launcher's target) or where the build leaves
     * it in this repository.
     */
    public Optional<Path> parentWatchAgent() {
        List<Path> folders = new ArrayList<>();
        try {
            folders.add(Path.of(Workspace.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent());
        } catch (URISyntaxException | RuntimeException e) {
            // not loaded from a file: only the repository is left to look in
        }
        folders.add(root.resolve("tools").resolve("launcher").resolve("target"));
        for (Path folder : folders) {
            try (Stream<Path> files = Files.list(folder)) {
                Optional<Path> agent = files.filter(file -> AGENT_JAR.matcher(file.getFileName().toString()).matches()).findFirst();
                if (agent.isPresent()) {
                    return agent;
                }
            } catch (IOException | RuntimeException e) {
                // no such folder
            }
        }
        return Optional.empty();
    }

    /** A path as the person typing in the repository sees it. */
    public String shown(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }
}
