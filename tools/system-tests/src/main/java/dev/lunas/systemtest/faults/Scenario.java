package dev.lunas.systemtest.faults;

import dev.lunas.launcher.run.Service;
import java.util.Map;

/**
 * One fault scenario of docs/reliability.md §8: it drives the running system into a fault and out of it, records
 * checks and figures on its {@link ScenarioRun}, and ends with a ledger reconciliation (lost = 0, duplicates
 * within its bound). A scenario owns no other state: it can run on a system other scenarios have used.
 */
public abstract class Scenario {

    private final String id;
    private final String title;

    /**
     * @param id    "T1" … "T11"
     * @param title what it does, in a few words
     */
    protected Scenario(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public final String id() {
        return id;
    }

    public final String title() {
        return title;
    }

    /**
     * Environment variables each service needs on top of the production wiring for this scenario at this
     * scale (shorter leases, a faster retry schedule…); a service not named runs with the plain wiring. The
     * suite restarts a service only when its configuration changes.
     */
    public Map<Service, Map<String, String>> configuration(Scale scale) {
        return Map.of();
    }

    public abstract void run(ScenarioRun run) throws Exception;
}
