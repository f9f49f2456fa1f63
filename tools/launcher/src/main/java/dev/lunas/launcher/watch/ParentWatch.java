package dev.lunas.launcher.watch;

import java.time.Duration;
import java.util.Optional;

/**
 * A Java agent the launcher loads into every service JVM ({@code -javaagent:<jar>=<launcher pid>}): when the
 * launcher is gone, even killed with SIGKILL so that no shutdown hook of its own ran, the service shuts
 * itself down instead of lingering as an orphan that holds its port. It lives in a jar of its own, with
 * no dependencies, so nothing of the launcher leaks onto the service's class path.
 */
public final class ParentWatch {

    private static final Duration POLL = Duration.ofSeconds(1);
    /** A service whose own shutdown hangs is halted after this long. */
    private static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(30);

    private ParentWatch() {
    }

    public static void premain(String launcherPid) {
        long pid;
        try {
            pid = Long.parseLong(launcherPid == null ? "" : launcherPid.trim());
        } catch (NumberFormatException e) {
            System.err.println("[lunas] parent watch needs the launcher's pid as agent argument; not watching");
            return;
        }
        Optional<ProcessHandle> launcher = ProcessHandle.of(pid);
        Thread watcher = new Thread(() -> {
            // ProcessHandle.isAlive compares the start time too, so a recycled pid does not count as alive
            while (launcher.map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            shutDown(pid);
        }, "lunas-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void shutDown(long pid) {
        System.err.println("[lunas] the launcher (pid " + pid + ") is gone; shutting down");
        Thread limit = new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_LIMIT.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(1);
        }, "lunas-parent-watch-limit");
        limit.setDaemon(true);
        limit.start();
        System.exit(0);
    }
}
