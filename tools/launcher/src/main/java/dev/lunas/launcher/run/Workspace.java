package dev.lunas.launcher.run;

import java.nio.file.Path;

/**
 * Where the local run keeps its state: everything under {@code .lunas/} in the repository (ignored by git),
 * so deleting that folder starts afresh. Another run beside it (the benchmark) keeps its state in a folder of
 * its own, given as {@code home}.
 *
 * @param root the repository, where the packaged services are
 * @param home the folder of this run's database, logs, messages and lock
 */
public record Workspace(Path root, Path home) {

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
    public Path serviceJar(String module) {
        return root.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /** A path as the person typing in the repository sees it. */
    public String shown(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }
}
