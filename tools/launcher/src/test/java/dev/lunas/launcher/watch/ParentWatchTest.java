package dev.lunas.launcher.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParentWatchTest {

    @TempDir
    Path folder;

    private Path agent;
    private Process launcher;
    private Process service;

    @BeforeEach
    void buildAgentJar() throws IOException {
        // the same jar the build makes: the agent class alone, named in Premain-Class
        agent = folder.resolve("parent-watch.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ParentWatch.class.getName());
        String entry = ParentWatch.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(agent); JarOutputStream jar = new JarOutputStream(file, manifest);
             InputStream classFile = ParentWatch.class.getClassLoader().getResourceAsStream(entry)) {
            jar.putNextEntry(new JarEntry(entry));
            classFile.transferTo(jar);
            jar.closeEntry();
        }
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : new Process[] {service, launcher}) {
            if (process != null) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aServiceStopsWhenItsLauncherIsKilled() throws Exception {
        launcher = standInLauncher();
        service = serviceWatching(launcher.pid());
        awaitStarted();

        launcher.destroyForcibly().waitFor();

        assertThat(service.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).isZero();
        assertThat(Files.readString(folder.resolve("service.out"))).contains("the launcher (pid " + launcher.pid() + ") is gone");
    }

    @Test
    void aServiceKeepsRunningWhileItsLauncherLives() throws Exception {
        launcher = standInLauncher();
        service = serviceWatching(launcher.pid());
        awaitStarted();

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(service::isAlive);
    }

    @Test
    void aServiceStartedAfterItsLauncherDiedStopsAtOnce() throws Exception {
        launcher = standInLauncher();
        long gone = launcher.pid();
        launcher.destroyForcibly().waitFor();

        service = serviceWatching(gone);

        assertThat(service.waitFor(15, TimeUnit.SECONDS)).isTrue();
    }

    /** Any long-lived process will do as the launcher whose death the service must notice. */
    private Process standInLauncher() throws IOException {
        return new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Idle.class.getName(),
                folder.resolve("launcher-started").toString()).start();
    }

    private Process serviceWatching(long launcherPid) throws IOException {
        return new ProcessBuilder(java(), "-javaagent:" + agent + "=" + launcherPid, "-cp", System.getProperty("java.class.path"),
                Idle.class.getName(), folder.resolve("service-started").toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("service.out").toFile()).start();
    }

    private void awaitStarted() {
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(folder.resolve("service-started")));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Stands in for a service (or the launcher): marks that it runs, then idles until stopped. */
    public static final class Idle {
        public static void main(String[] args) throws Exception {
            Files.createFile(Path.of(args[0]));
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }
}
