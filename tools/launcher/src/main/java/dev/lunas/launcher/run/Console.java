package dev.lunas.launcher.run;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The launcher's terminal output (or a run's journal file): one line per event, stamped and labelled with the part
 * of the system it comes from, so the interleaved output of seven components stays readable.
 */
public final class Console {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final int LABEL_WIDTH = 20;

    private final PrintStream out;
    private final DateTimeFormatter stamp;

    /** Lines stamped with the time of day, for a person at the terminal. */
    public Console(PrintStream out) {
        this(out, TIME);
    }

    /** Lines stamped as {@code stamp} formats the moment, e.g. {@link DateTimeFormatter#ISO_INSTANT} for a journal. */
    public Console(PrintStream out, DateTimeFormatter stamp) {
        this.out = out;
        this.stamp = stamp;
    }

    public synchronized void line(String component, String text) {
        String label = component.length() >= LABEL_WIDTH ? component : component + " ".repeat(LABEL_WIDTH - component.length());
        out.println(stamp.format(ZonedDateTime.now()) + " " + label + " " + text);
        out.flush();
    }

    public void info(String text) {
        line("lunas", text);
    }

    public void error(String text) {
        line("lunas", "ERROR " + text);
    }

    /** A sink for a component's event lines, e.g. the simulator's. */
    public Consumer<String> events(String component) {
        return text -> line(component, text);
    }

    /** Text printed as it is (the banner), never interleaved with other lines. */
    public synchronized void block(String text) {
        out.println(text);
        out.flush();
    }
}
