package dev.lunas.benchmark.scenario;

import dev.lunas.benchmark.sql.Capture;
import dev.lunas.benchmark.sql.CapturedTransaction;
import dev.lunas.benchmark.sql.LogEntry;
import dev.lunas.benchmark.sql.LoggedStatement;
import dev.lunas.benchmark.sql.PgbenchScript;
import dev.lunas.benchmark.system.BenchDatabase;
import dev.lunas.benchmark.system.BenchSystem;
import dev.lunas.benchmark.system.ExistingRows;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL a request really causes: with {@code log_statement = all} switched on for a moment, one request is sent
 * and the transactions the services on its path ran for it are read back from the server's JSON log, then turned
 * into a pgbench script ({@link PgbenchScript}).
 *
 * @param transactions what the services ran, in order
 * @param existingRows rows the request found already there, copied before it ran, which pgbench needs seeded
 * @param requests     the scenario's requests the probe consisted of (a notification probe sends two)
 */
record Probe(String scenario, List<String> services, List<CapturedTransaction> transactions, PgbenchScript.Script script,
             List<ExistingRows.Row> existingRows, int requests) {

    private static final Duration LOG_PATIENCE = Duration.ofSeconds(15);

    /** The request(s) to capture; answers the values that appear only in their SQL (key, order id). */
    @FunctionalInterface
    interface Request {
        List<String> send() throws Exception;
    }

    static Probe capture(BenchSystem bench, String scenario, List<String> services, Set<String> existingIds,
                         List<ExistingRows.Row> existingRows, int requests, Request request) throws Exception {
        BenchDatabase database = bench.database();
        database.logAllStatements(true);
        long from = bench.serverLog().end();
        List<String> markers;
        try {
            markers = request.send();
        } finally {
            String marker = database.logMarker();
            awaitInLog(bench, from, marker);
            database.logAllStatements(false);
        }
        List<LogEntry> entries = bench.serverLog().since(from);
        List<CapturedTransaction> transactions = Capture.transactions(entries, Set.copyOf(services), markers);
        PgbenchScript.Script script = new PgbenchScript(database::parameterTypes, database::insertedBy)
                .build(scenario, transactions, existingIds);
        List<ExistingRows.Row> used = existingRows.stream()
                .filter(row -> script.tables().contains(row.table())).toList();
        return new Probe(scenario, services, transactions, script, used, requests);
    }

    private static void awaitInLog(BenchSystem bench, long from, String marker) throws InterruptedException {
        long deadline = System.nanoTime() + LOG_PATIENCE.toNanos();
        while (bench.serverLog().since(from).stream().noneMatch(entry -> entry.message().contains(marker))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL's statement log did not catch up within " + LOG_PATIENCE.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /** Each distinct statement of the probe (by query id) and how often one request ran it. */
    Map<Long, Integer> statementCounts() {
        Map<Long, Integer> counts = new LinkedHashMap<>();
        for (CapturedTransaction transaction : transactions) {
            for (LoggedStatement statement : transaction.work()) {
                counts.merge(statement.entry().queryId(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The first line of each distinct statement, in the order of {@link #statementCounts()}. */
    Map<Long, String> statementTexts() {
        Map<Long, String> texts = new LinkedHashMap<>();
        for (CapturedTransaction transaction : transactions) {
            for (LoggedStatement statement : transaction.work()) {
                texts.putIfAbsent(statement.entry().queryId(), shortened(statement.sql()));
            }
        }
        return texts;
    }

    static String shortened(String sql) {
        String flat = sql.replaceAll("\\s+", " ").strip();
        return flat.length() <= 140 ? flat : flat.substring(0, 137) + "...";
    }

    List<Long> queryIds() {
        return new ArrayList<>(statementCounts().keySet());
    }

    static List<ExistingRows.Row> snapshot(BenchDatabase database, String id) throws SQLException {
        return ExistingRows.snapshot(database, Set.of("orders", "payments"), id);
    }
}
