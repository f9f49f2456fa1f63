package dev.lunas.systemtest.faults;

import dev.lunas.launcher.fault.FaultProxy;
import dev.lunas.launcher.midtrans.MidtransSimulator;
import dev.lunas.launcher.run.EmbeddedDatabase;
import dev.lunas.launcher.run.Service;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one scenario on a running system: brings the system back to its plain state first (every service up
 * with the configuration the scenario asks for, mail flowing without delay, Midtrans answering), then runs
 * it and turns whatever happens — checks, ledgers, an exception — into its result.
 */
public final class ScenarioRunner {

    private ScenarioRunner() {
    }

    public static ScenarioResult run(Scenario scenario, SystemUnderTest system, Scale scale, SuiteOptions options,
                                     Consumer<String> progress) {
        ScenarioRun run = new ScenarioRun(scenario, system, scale, options, progress);
        long started = System.nanoTime();
        Throwable failure = null;
        try {
            prepare(scenario, system, scale);
            run.progress("%s (%s scale)", scenario.title(), scale.name().toLowerCase(Locale.ROOT));
            scenario.run(run);
        } catch (Exception | AssertionError e) {
            failure = e;
        }
        ScenarioResult result = run.result(Duration.ofNanos(System.nanoTime() - started), failure);
        if (failure != null && !(failure instanceof ScenarioRun.Skipped)) {
            system.note(scenario.id() + " ended with " + failure);
            progress.accept(scenario.id() + "  ✘ stopped by " + failure);
        }
        return result;
    }

    private static void prepare(Scenario scenario, SystemUnderTest system, Scale scale) {
        if (system.hasSmtpProxy()) {
            FaultProxy smtp = system.smtpProxy();
            smtp.pass();
            smtp.stopHangingMails();
            smtp.mailReplyLatency(Duration.ZERO);
        }
        for (MidtransSimulator.Api api : MidtransSimulator.Api.values()) {
            system.simulator().recover(api);
        }
        system.database().server().ifPresent(EmbeddedDatabase::ensureUp);
        Map<Service, Map<String, String>> configuration = scenario.configuration(scale);
        for (Service service : Service.values()) {
            system.reconfigure(service, configuration.getOrDefault(service, Map.of()));
        }
        system.ensureRunning();
    }
}
