package dev.lunas.launcher.run;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Takes over Ctrl-C (SIGINT), SIGTERM and SIGHUP. The JVM's own handling would run every shutdown hook at
 * once, and the embedded PostgreSQL library registers one that stops the database while the services are
 * still finishing their work; handling the signals here lets the launcher stop things in order instead.
 * {@code sun.misc.Signal} is the JDK's supported way to do that (module jdk.unsupported, JEP 260).
 */
final class StopSignals {

    private StopSignals() {
    }

    /** Runs {@code first} on the first signal and {@code again} on every later one (an impatient second Ctrl-C). */
    static void install(Runnable first, Runnable again) {
        AtomicInteger received = new AtomicInteger();
        for (String name : List.of("INT", "TERM", "HUP")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (received.incrementAndGet() == 1) {
                        first.run();
                    } else {
                        again.run();
                    }
                });
            } catch (IllegalArgumentException unsupported) {
                // this platform has no such signal (HUP on Windows)
            }
        }
    }
}
