package dev.lunas.benchmark.report;

import dev.lunas.launcher.measure.Latencies;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The summary table: each figure beside its pgbench reference, the ratio, and the goal it answers (G1–G11). */
public final class Summary {

    private Summary() {
    }

    public static List<Figures.Row> rows(Figures.Report report) {
        List<Figures.Row> rows = new ArrayList<>();
        Figures.Checkout checkout = report.checkout();
        rows.add(new Figures.Row("Checkout throughput (closed loop, " + checkout.saturation().concurrency() + " clients)",
                perSecond(checkout.saturation().successesPerSecond(), "checkouts/s"),
                reference(checkout.reference(), "checkouts/s"), checkout.ratio(), "G1 ≥ 0.10, stretch ≥ 0.20"));
        rows.add(new Figures.Row("Checkout latency, open loop at " + whole(checkout.openLoop().targetRate()) + "/s (half of the above)",
                latency(checkout.openLoop().latency()) + errors(checkout.openLoop().failed()), "–", null,
                "G2 p99 ≤ 50 ms, p99.9 ≤ 150 ms, 0 errors"));
        Figures.FlashSale sale = report.flashSale();
        rows.add(new Figures.Row("Flash sale: " + sale.buyers() + " buyers (" + sale.concurrency() + " at a time) for " + sale.quota()
                        + " places", perSecond(sale.salesPerSecond(), "sales/s") + "; sold " + sale.sold() + ", sold out " + sale.soldOut()
                        + (sale.exact() ? ", exactly the quota" : ", NOT exactly the quota"),
                reference(sale.reference(), "checkouts/s on one package row"), sale.ratio(), "G5 ≥ 0.25, 0 oversold"));
        Figures.Webhook webhook = report.webhook();
        rows.add(new Figures.Row("Webhook ingest (closed loop, " + webhook.saturation().concurrency() + " clients)",
                perSecond(webhook.saturation().successesPerSecond(), "notifications/s"),
                reference(webhook.reference(), "notifications/s"), webhook.ratio(), "G6 ≥ 0.15"));
        rows.add(new Figures.Row("Webhook latency, open loop at " + whole(webhook.openLoop().targetRate()) + "/s",
                latency(webhook.openLoop().latency()) + errors(webhook.openLoop().failed()), "–", null,
                "G7 p99 ≤ 50 ms, max ≤ 1 s"));
        Figures.Steady steady = report.notifications().steady();
        rows.add(new Figures.Row("Mail hand-off latency (outbox created_at → SMTP sink), " + whole(steady.checkoutsPerSecond())
                        + " mails/s", latency(steady.handOff()) + " (" + steady.mails() + " of " + steady.expected() + " mails)", "–", null,
                "G8 p50 ≤ 20 ms, p99 ≤ 250 ms"));
        Figures.Backlog backlog = report.notifications().backlog();
        rows.add(new Figures.Row("Drain of a " + backlog.messages() + "-mail backlog (SMTP " + whole(backlog.smtpLatencyMs())
                        + " ms, " + backlog.sendConcurrency() + " at once)", seconds(backlog.drainSeconds()) + "; lost " + backlog.lost()
                        + ", duplicates " + backlog.duplicates() + ", at most " + backlog.peakConcurrentHandOffs() + " mails in hand-off at once",
                "SMTP-bound ceiling " + seconds(backlog.ceilingSeconds()), backlog.ratioToCeiling(),
                "G9 ≥ 0.5 (drain ≤ 2 × ceiling), 0 lost, 0 duplicates"));
        rows.add(new Figures.Row("Start to ready, median / max of " + report.startup().restarts() + " restarts",
                join(report.startup(), s -> s.service() + " " + seconds(s.p50Ms() / 1000) + " / " + seconds(s.maxMs() / 1000)), "–", null,
                "G10 median ≤ 4 s, max ≤ 6 s"));
        rows.add(new Figures.Row("Resident memory after start / after the load (peak)",
                join(report.startup(), s -> s.service() + " " + megabytes(last(s.residentAfterStartMb())) + " / "
                        + megabytes(s.residentAfterLoadMb()) + " (" + megabytes(s.peakResidentMb()) + ")"), "–", null,
                "G11 ≤ 300 MB after start, ≤ 512 MB under load"));
        return rows;
    }

    private static String reference(Reference reference, String unit) {
        if (reference == null || reference.requestsPerSecond() == null) {
            return "not measured (no pgbench)";
        }
        return perSecond(reference.requestsPerSecond(), unit) + " (" + reference.clients() + " clients)";
    }

    static String perSecond(double value, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", value, unit);
    }

    static String latency(Latencies.Summary summary) {
        if (summary.count() == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "p50 %s · p99 %s · p99.9 %s · max %s", ms(summary.p50Ms()), ms(summary.p99Ms()),
                ms(summary.p999Ms()), ms(summary.maxMs()));
    }

    static String ms(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f ms", value) : String.format(Locale.ROOT, "%.1f ms", value);
    }

    static String seconds(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f s", value);
    }

    static String megabytes(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.0f MB", value);
    }

    static String whole(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    private static String errors(long failed) {
        return failed == 0 ? ", 0 errors" : ", " + failed + " not successful";
    }

    private static Double last(List<Double> values) {
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static String join(Figures.Startup startup, Function<Figures.ServiceStartup, String> each) {
        return startup.services().stream().map(each).collect(Collectors.joining("; "));
    }
}
