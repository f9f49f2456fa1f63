package dev.lunas.launcher.run;

import dev.lunas.launcher.http.PortInUseException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code run}: starts the local system, prints where everything is, and on Ctrl-C (or SIGTERM) stops it in
 * order. A second Ctrl-C kills the services at once.
 */
public final class RunCommand {

    public static final String USAGE = "usage: run [--verbose] [--services order-service,payment-service,...] [--root <repository>]";

    private RunCommand() {
    }

    /** @return the process exit code: 0 after a clean stop, 1 when the system could not start, 2 on bad arguments */
    public static int run(List<String> args, PrintStream out) {
        Console console = new Console(out);
        Path root = Path.of("");
        boolean verbose = false;
        List<String> services = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--verbose")) {
                verbose = true;
            } else if (arg.equals("--root") && i + 1 < args.size()) {
                root = Path.of(args.get(++i));
            } else if (arg.equals("--services") && i + 1 < args.size()) {
                services.addAll(Arrays.stream(args.get(++i).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
            } else {
                console.error("Unknown option " + arg + "\n" + USAGE);
                return 2;
            }
        }
        Workspace workspace = new Workspace(root);
        try (LauncherLock lock = LauncherLock.acquire(workspace.lockFile())) {
            RunPlan plan = RunPlan.from(System.getenv());
            Optional<Path> agent = workspace.parentWatchAgent();
            if (agent.isEmpty()) {
                console.info("The parent-watch agent (lunas-launcher-parent-watch.jar) was not found beside the launcher:"
                        + " if the launcher is killed, stop the services by hand.");
            }
            LocalSystem system = LocalSystem.builder(plan, workspace, console).verbose(verbose).agentJar(agent)
                    .services(services.stream().map(Service::named).toList()).build();
            return runUntilStopped(system, plan, workspace, console);
        } catch (LaunchException | PortInUseException e) {
            console.error(e.getMessage());
            return 1;
        }
    }

    private static int runUntilStopped(LocalSystem system, RunPlan plan, Workspace workspace, Console console) {
        CountDownLatch stopRequested = new CountDownLatch(1);
        StopSignals.install(() -> {
            console.info("Stopping… (press Ctrl-C again to kill the services at once)");
            system.requestStop();
            stopRequested.countDown();
        }, () -> {
            console.info("Killing the services; PostgreSQL is stopped by the next run");
            system.kill();
            Runtime.getRuntime().halt(130);
        });
        // a safety net for exits that bypass the signal handlers; close() does nothing the second time
        Runtime.getRuntime().addShutdownHook(new Thread(system::close, "lunas-stop"));
        int exitCode = 0;
        boolean interrupted = false;
        try {
            if (system.start()) {
                console.block(Banner.text(plan, workspace, system.services()));
                stopRequested.await();
            }
        } catch (InterruptedException e) {
            // nothing interrupts this thread on purpose; stop as if asked to, then pass the interrupt on
            interrupted = true;
        } catch (LaunchException | PortInUseException e) {
            if (stopRequested.getCount() > 0) {
                console.error(e.getMessage());
                exitCode = 1;
            }
        } finally {
            system.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        console.info(exitCode == 0 ? "Stopped." : "Stopped after the failure above.");
        return exitCode;
    }
}
