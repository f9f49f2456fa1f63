package dev.lunas.launcher;

import dev.lunas.launcher.run.RunCommand;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of {@code ./lunas run}: the script builds the project and execs this class with the subcommand and its
 * options. Other commands that start the system ({@code ./lunas bench}) have their own module and entry point and
 * use the launcher's classes ({@link dev.lunas.launcher.run.LocalSystem}) as a library.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        quietLibraryLogging();
        String command = args.length == 0 ? "" : args[0];
        List<String> options = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        int exitCode = switch (command) {
            case "run" -> RunCommand.run(options, System.out);
            default -> {
                System.err.println("Unknown command '" + command + "' (see ./lunas help)\n" + RunCommand.USAGE);
                yield 2;
            }
        };
        System.exit(exitCode);
    }

    /**
     * The embedded PostgreSQL and GreenMail libraries log through SLF4J into java.util.logging; their
     * informational chatter would drown the console, their warnings should not. For every command that starts the
     * system ({@code run}, {@code bench}, {@code faults}).
     */
    public static void quietLibraryLogging() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %3$s %4$s %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
    }
}
