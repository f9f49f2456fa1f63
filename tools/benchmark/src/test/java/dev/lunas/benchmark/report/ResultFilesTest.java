package dev.lunas.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.benchmark.load.LoadResult;
import dev.lunas.benchmark.sql.Pgbench;
import dev.lunas.launcher.measure.Latencies;
import dev.lunas.launcher.measure.Machine;
import dev.lunas.launcher.measure.ResultFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

    @TempDir
    Path folder;

    static Figures.Report sample(boolean withPgbench) {
        Latencies.Summary fast = new Latencies.Summary(1_000, 6.1, 5.0, 9.0, 21.4, 48.0, 52.3);
        LoadResult closed = new LoadResult(0, 16, 4_200, 4_200, Map.of("201", 4_200L), 20.0, 210.0, fast, fast);
        LoadResult open = new LoadResult(105, 0, 3_150, 3_149, Map.of("201", 3_149L, "503 payment-provider-unavailable", 1L), 30.0,
                104.9, fast, fast);
        Pgbench.Result before = new Pgbench.Result(10, 15, "prepared", 1_400, 21_000, 0, 7.1, "tps = 1400");
        Pgbench.Result after = new Pgbench.Result(10, 15, "prepared", 1_300, 19_500, 0, 7.6, "tps = 1300");
        Reference checkoutReference = withPgbench ? new Reference(10, "prepared", 1, before, after, "checked") : null;
        Reference webhookReference = withPgbench ? new Reference(10, "prepared", 2, before, after, "seeded") : null;
        Figures.Checkout checkout = new Figures.Checkout(closed, closed, open, null, null);
        Figures.FlashSale sale = new Figures.FlashSale(2_000, 3_000, 32, 2_000, 1_000, 0, 2_000, 2_000, true, 9.5, 210.5, closed,
                null, null);
        Figures.Webhook webhook = new Figures.Webhook(closed, open, null, null);
        if (withPgbench) {
            checkout = checkout.with(checkoutReference);
            sale = sale.with(checkoutReference);
            webhook = webhook.with(webhookReference);
        }
        Figures.Startup startup = new Figures.Startup(3, List.of(new Figures.ServiceStartup("order-service", 6_100, List.of(3_900L, 4_100L,
                4_000L), 4_000, 4_100, List.of(231.0, 240.5, 238.0), 352.0, 361.0)));
        Figures.Notifications notifications = new Figures.Notifications(
                new Figures.Steady(50, 30, 1_500, 1_500, fast, fast, fast),
                new Figures.Backlog(10_000, 16, 20, 12.5, 21.0, 20.2, 12.5 / 21.0, 10_000, 0, 0, 10, 25.3));
        Figures.Environment environment = new Figures.Environment("PostgreSQL 17.6", Map.of("fsync", "off"), "pgbench 15.20",
                List.of("-Xmx256m"), Map.of("order-service", 10), Map.of("order-service", 10), "0.10 0.20 0.30", "3.1 2.0 1.0",
                "No ./lunas run was running in this repository.");
        Machine machine = new Machine("AMD EPYC", 2, 24_000, "Linux 6", "OpenJDK 17", "0.10 0.20 0.30");
        Figures.Sql sql = new Figures.Sql("checkout", List.of("order-service", "payment-service"), 4, 19, "prepared",
                List.of("1x insert into orders.idempotency_key | values ($1)"), List.of(1.0), "\\set n :n + 1\nBEGIN;\n");
        Figures.PhaseCpu cpu = new Figures.PhaseCpu("checkout saturation", 4_200, Map.of("order-service", 9.5, "postgres", 1.25), 97.3, 2.1);
        Figures.Report report = new Figures.Report("standard", "2026-11-21T23:00:00Z", "2026-11-21T23:07:00Z", machine, environment,
                List.of(), startup, notifications, checkout, sale, webhook, List.of(cpu), List.of(sql), List.of("a note"));
        return new Figures.Report(report.mode(), report.startedAt(), report.finishedAt(), machine, environment,
                Summary.rows(report), startup, notifications, checkout, sale, webhook, List.of(cpu), List.of(sql), List.of("a note"));
    }

    @Test
    void writesJsonThatReadsBackToTheSameFiguresAndAReadableTable() throws Exception {
        Figures.Report report = sample(true);

        Path markdown = ResultFiles.write(folder.resolve("results"), "latest", report, MarkdownReport.render(report));

        assertThat(ResultFiles.read(folder.resolve("results/latest.json"), Figures.Report.class)).isEqualTo(report);
        assertThat(folder.resolve("results")).isDirectoryNotContaining("glob:**.partial");
        String md = Files.readString(markdown);
        assertThat(md).startsWith("# Lunas benchmark (standard run)");
        assertThat(md).contains("| Checkout throughput (closed loop, 16 clients) | 210 checkouts/s | 1,300 checkouts/s (10 clients) | 0.16 |");
        assertThat(md).contains("| Webhook ingest (closed loop, 16 clients) | 210 notifications/s | 2,600 notifications/s (10 clients) | 0.08 |");
        assertThat(md).contains("sold 2000, sold out 1000, exactly the quota");
        assertThat(md).contains("SMTP-bound ceiling 12.5 s | 0.60 |");
        assertThat(md).contains("order-service 4.0 s / 4.1 s");
        assertThat(md).contains("`1x insert into orders.idempotency_key \\| values ($1)` | 1.00 |");
        assertThat(md).contains("503 payment-provider-unavailable: 1");
        assertThat(md).contains("- a note");
        assertThat(md).contains("| checkout saturation | 4200 | ").contains("| 97 % | 2 % |");
        assertThat(md).contains("**Load average** (1/5/15 min): 0.10 0.20 0.30 before, 3.1 2.0 1.0 after.");
    }

    @Test
    void withoutPgbenchTheFiguresStandWithoutRatios() throws Exception {
        Figures.Report report = sample(false);

        String md = Files.readString(ResultFiles.write(folder, "quick", report, MarkdownReport.render(report)));

        assertThat(md).contains("| Checkout throughput (closed loop, 16 clients) | 210 checkouts/s | not measured (no pgbench) | – |");
        assertThat(report.checkout().ratio()).isNull();
    }
}
