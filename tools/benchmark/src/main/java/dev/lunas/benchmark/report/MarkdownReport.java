package dev.lunas.benchmark.report;

import dev.lunas.benchmark.load.LoadResult;
import dev.lunas.benchmark.sql.Pgbench;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The readable form of a {@link Figures.Report}: a summary table first, then the detail behind each figure. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static String render(Figures.Report report) {
        StringBuilder md = new StringBuilder();
        md.append("# Lunas benchmark (").append(report.mode()).append(" run)\n\n");
        md.append(report.startedAt()).append(" → ").append(report.finishedAt()).append(". Produced by `./lunas bench`")
                .append(report.mode().equals("quick") ? " --quick (a smoke run: too short to quote)" : "")
                .append(". Figures are ratios to pgbench running the same SQL on the same machine in the same run;")
                .append(" absolute numbers depend on the machine.\n\n");
        machine(md, report);
        md.append("## Summary\n\n");
        md.append("| Figure | Lunas | pgbench, same SQL (lower of before/after) | Ratio | Goal (docs/reliability.md §7.4) |\n");
        md.append("|---|---|---|---|---|\n");
        for (Figures.Row row : report.summary()) {
            md.append("| ").append(cell(row.figure())).append(" | ").append(cell(row.measured())).append(" | ")
                    .append(cell(row.reference())).append(" | ").append(ratio(row.ratio())).append(" | ").append(cell(row.goal())).append(" |\n");
        }
        if (!report.notes().isEmpty()) {
            md.append("\n**Notes**\n\n");
            report.notes().forEach(note -> md.append("- ").append(note).append('\n'));
        }
        load(md, report);
        cpu(md, report.cpu());
        flashSale(md, report.flashSale());
        notifications(md, report.notifications());
        startup(md, report.startup());
        references(md, report);
        sql(md, report.sql());
        method(md);
        return md.toString();
    }

    private static void machine(StringBuilder md, Figures.Report report) {
        Figures.Environment environment = report.environment();
        md.append("**Machine**: ").append(report.machine().cpu()).append(", ").append(report.machine().cores()).append(" cores, ")
                .append(String.format(Locale.ROOT, "%.1f GiB", report.machine().memoryMiB() / 1024.0)).append(" memory, ")
                .append(report.machine().os()).append("; JVM ").append(report.machine().jvm()).append(".  \n");
        md.append("**PostgreSQL**: ").append(environment.postgres()).append(" (embedded, ")
                .append(environment.postgresSettings().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "))).append(").  \n");
        md.append("**pgbench**: ").append(environment.pgbench()).append(".  \n");
        md.append("**Services**: JVM options ").append(String.join(" ", environment.serviceJvmOptions()))
                .append("; reactive pool sizes ").append(map(environment.poolSizes()))
                .append("; most sessions seen under load ").append(map(environment.peakSessions())).append(".  \n");
        md.append("**Load average** (1/5/15 min): ").append(environment.loadAverageBefore()).append(" before, ")
                .append(environment.loadAverageAfter()).append(" after. ").append(environment.concurrentLunasRun()).append("\n\n");
    }

    private static void load(StringBuilder md, Figures.Report report) {
        md.append("\n## Load phases\n\n");
        md.append("Latency of open-loop phases counts from each request's intended send time (coordinated omission corrected);"
                + " closed-loop phases report service time.\n\n");
        md.append("| Phase | Mode | Sent | Succeeded | Per second | p50 | p90 | p99 | p99.9 | max | Other outcomes |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        phase(md, "Checkout warm-up", report.checkout().warmup());
        phase(md, "Checkout saturation", report.checkout().saturation());
        phase(md, "Checkout open loop", report.checkout().openLoop());
        phase(md, "Flash sale", report.flashSale().load());
        phase(md, "Webhook saturation", report.webhook().saturation());
        phase(md, "Webhook open loop", report.webhook().openLoop());
    }

    private static void phase(StringBuilder md, String name, LoadResult load) {
        String mode = load.concurrency() > 0 ? "closed, " + load.concurrency() + " clients"
                : String.format(Locale.ROOT, "open, %.0f/s", load.targetRate());
        String others = load.outcomes().entrySet().stream().filter(e -> !e.getKey().equals("201") && !e.getKey().equals("200"))
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
        md.append("| ").append(name).append(" | ").append(mode).append(" | ").append(load.sent()).append(" | ")
                .append(load.succeeded()).append(" | ").append(String.format(Locale.ROOT, "%.0f", load.successesPerSecond()))
                .append(" | ").append(Summary.ms(load.latency().p50Ms())).append(" | ").append(Summary.ms(load.latency().p90Ms()))
                .append(" | ").append(Summary.ms(load.latency().p99Ms())).append(" | ").append(Summary.ms(load.latency().p999Ms()))
                .append(" | ").append(Summary.ms(load.latency().maxMs())).append(" | ").append(others.isEmpty() ? "–" : cell(others))
                .append(" |\n");
    }

    private static void cpu(StringBuilder md, List<Figures.PhaseCpu> phases) {
        if (phases.isEmpty()) {
            return;
        }
        List<String> parts = phases.stream().flatMap(p -> p.msPerRequest().keySet().stream()).distinct().toList();
        md.append("\n## Where the CPU went (ms of CPU per request)\n\n| Phase | Requests | ");
        parts.forEach(part -> md.append(part).append(" | "));
        md.append("All cores busy | Of which other processes |\n|---|---|");
        parts.forEach(part -> md.append("---|"));
        md.append("---|---|\n");
        for (Figures.PhaseCpu phase : phases) {
            md.append("| ").append(phase.phase()).append(" | ").append(phase.requests()).append(" | ");
            parts.forEach(part -> md.append(phase.msPerRequest().containsKey(part)
                    ? String.format(Locale.ROOT, "%.2f", phase.msPerRequest().get(part)) : "–").append(" | "));
            md.append(String.format(Locale.ROOT, "%.0f %% | %.0f %%", phase.machineBusyPercent(), phase.otherPercent())).append(" |\n");
        }
    }

    private static void flashSale(StringBuilder md, Figures.FlashSale sale) {
        md.append("\n## Flash sale: nothing oversold\n\n");
        md.append("| Quota | Buyers | Sold (201) | Sold out (409) | Other | `package.reserved` | Orders in the database | Exact |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        md.append("| ").append(sale.quota()).append(" | ").append(sale.buyers()).append(" | ").append(sale.sold()).append(" | ")
                .append(sale.soldOut()).append(" | ").append(sale.other()).append(" | ").append(sale.reservedInDatabase()).append(" | ")
                .append(sale.ordersInDatabase()).append(" | ").append(sale.exact() ? "yes" : "**no**").append(" |\n\n");
        md.append(String.format(Locale.ROOT, "Sold out after %.2f s: %.0f sales/s.%n", sale.secondsToSellOut(), sale.salesPerSecond()));
    }

    private static void notifications(StringBuilder md, Figures.Notifications notifications) {
        Figures.Backlog backlog = notifications.backlog();
        md.append("\n## Notifications\n\n");
        Figures.Steady steady = notifications.steady();
        md.append(String.format(Locale.ROOT, "Steady: %.0f checkouts/s for %.0f s, %d of %d payment-instruction mails handed to"
                        + " the SMTP sink; hand-off latency %s. Of that, outbox row → delivery row (the relay): %s;"
                        + " delivery row → SMTP sink (claim, render, send): %s.%n%n", steady.checkoutsPerSecond(), steady.seconds(),
                steady.mails(), steady.expected(), Summary.latency(steady.handOff()), Summary.latency(steady.relay()),
                Summary.latency(steady.send())));
        md.append(String.format(Locale.ROOT, "Backlog: %d mails queued while notification-service was stopped (%.1f s of"
                        + " checkouts), then drained in %s from the relay's first claim (%s from readiness). SMTP-bound ceiling"
                        + " %d × %.0f ms / %d = %.1f s; ratio %s. Delivered %d, lost %d, duplicates %d; at most %d mails in"
                        + " hand-off at once.%n", backlog.messages(), backlog.checkoutSeconds(), Summary.seconds(backlog.drainSeconds()),
                Summary.seconds(backlog.drainFromReadySeconds()), backlog.messages(), backlog.smtpLatencyMs(), backlog.sendConcurrency(),
                backlog.ceilingSeconds(), ratio(backlog.ratioToCeiling()), backlog.delivered(), backlog.lost(), backlog.duplicates(),
                backlog.peakConcurrentHandOffs()));
    }

    private static void startup(StringBuilder md, Figures.Startup startup) {
        md.append("\n## Start-up and memory\n\n");
        md.append("| Service | First start (migrates) | Restarts, start → ready | Median | Max | RSS after each restart | RSS after the load | Peak RSS |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Figures.ServiceStartup service : startup.services()) {
            md.append("| ").append(service.service()).append(" | ").append(service.firstStartMs()).append(" ms | ")
                    .append(service.restartsMs().stream().map(ms -> ms + " ms").collect(Collectors.joining(", "))).append(" | ")
                    .append(Summary.seconds(service.p50Ms() / 1000)).append(" | ").append(Summary.seconds(service.maxMs() / 1000)).append(" | ")
                    .append(service.residentAfterStartMb().stream().map(Summary::megabytes).collect(Collectors.joining(", "))).append(" | ")
                    .append(Summary.megabytes(service.residentAfterLoadMb())).append(" | ").append(Summary.megabytes(service.peakResidentMb()))
                    .append(" |\n");
        }
    }

    private static void references(StringBuilder md, Figures.Report report) {
        md.append("\n## pgbench references\n\n");
        md.append("| SQL of | Clients | Protocol | Before (tps) | After (tps) | Requests per pgbench transaction | Reference | Checked |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        reference(md, "checkout", report.checkout().reference());
        reference(md, "flash sale", report.flashSale().reference());
        reference(md, "webhook", report.webhook().reference());
    }

    private static void reference(StringBuilder md, String name, Reference reference) {
        if (reference == null) {
            return;
        }
        md.append("| ").append(name).append(" | ").append(reference.clients()).append(" | ").append(reference.protocol()).append(" | ")
                .append(tps(reference.before())).append(" | ").append(tps(reference.after())).append(" | ")
                .append(reference.requestsPerScript()).append(" | ")
                .append(reference.requestsPerSecond() == null ? "–" : String.format(Locale.ROOT, "%,.0f/s", reference.requestsPerSecond()))
                .append(" | ").append(cell(reference.verification())).append(" |\n");
    }

    private static String tps(Pgbench.Result result) {
        return result == null ? "–" : String.format(Locale.ROOT, "%,.0f", result.tps());
    }

    private static void sql(StringBuilder md, List<Figures.Sql> scripts) {
        md.append("\n## The SQL compared\n\n");
        md.append("Captured from the services themselves (`log_statement = all` during one probe request), and replayed by"
                + " pgbench statement for statement with the values they bound. The last column is how often the load phases"
                + " ran each statement per successful request (pg_stat_statements), to show the probe was typical.\n");
        for (Figures.Sql sql : scripts) {
            md.append("\n### ").append(sql.scenario()).append(" (").append(String.join(" + ", sql.services())).append(", ")
                    .append(sql.transactions()).append(" transactions, ").append(sql.statements()).append(" statements, ")
                    .append(sql.protocol()).append(" statements)\n\n");
            md.append("| Statement (per probe request) | Per request under load |\n|---|---|\n");
            for (int i = 0; i < sql.statementsRun().size(); i++) {
                md.append("| `").append(sql.statementsRun().get(i).replace("|", "\\|").replace("`", "'")).append("` | ")
                        .append(i < sql.callsPerRequest().size() ? String.format(Locale.ROOT, "%.2f", sql.callsPerRequest().get(i)) : "–")
                        .append(" |\n");
            }
        }
    }

    private static void method(StringBuilder md) {
        md.append("\n## How it was measured\n\n");
        md.append("- The system runs as `./lunas run` runs it (embedded PostgreSQL, three service JVMs, Midtrans simulator, SMTP"
                + " sink, WhatsApp gateway) on free ports in `.lunas/bench`, wiped first. The load generator (JDK HttpClient)"
                + " and pgbench run on the same machine.\n");
        md.append("- Each load phase starts once the outbox and the delivery queue are empty; it pays for the mails and events"
                + " it causes itself.\n");
        md.append("- pgbench runs each captured script against a copy of the services' database (same server, same schemas),"
                + " with as many clients as the service's pool, before the load phases and after them; the lower run counts.\n");
        md.append("- The flash-sale package is inserted with SQL (order-service has no API to create packages).\n");
    }

    private static String ratio(Double ratio) {
        return ratio == null ? "–" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    private static String map(Map<String, Integer> values) {
        return values.isEmpty() ? "–" : values.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
