package dev.lunas.legacyimport;

import dev.lunas.legacyimport.ImportReport.Imported;
import dev.lunas.legacyimport.ImportReport.Outcome;
import dev.lunas.legacyimport.ImportReport.Refused;
import dev.lunas.legacyimport.ImportReport.Skipped;
import dev.lunas.legacyimport.LegacyRules.Checked;
import dev.lunas.legacyimport.LegacyRules.Valid;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.postgresql.util.PSQLException;

/**
 * One run of the legacy import: reads and checks every old row first, then, in one transaction of the Lunas
 * database, writes for each new row what a real payment or expiry would have left behind (the order, its audit row,
 * for a paid order its active entitlement and its place on the package) and the row's legacy id, and commits. No
 * outbox event is written: the customers had their mail from the old shop, so nothing is sent and nothing reaches
 * Midtrans. Any database failure rolls the whole run back. A dry run does the same reading and deciding in a
 * read-only transaction and writes nothing.
 */
public final class LegacyImport {

    static final String SCHEMA = "orders";
    /** Who the audit rows say made the change. */
    static final String ACTOR = "system:legacy-import";
    static final String APPLICATION_NAME = "lunas-legacy-import";
    /** The advisory lock one run holds until it commits or rolls back. */
    static final long RUN_LOCK = 0x4c756e61734c4931L;
    /** Clock skew allowed on created_at. */
    private static final Duration SKEW = Duration.ofHours(1);

    private LegacyImport() {
    }

    /**
     * Runs the import.
     *
     * @throws ImportException when it cannot run or fails; then nothing was written
     */
    public static ImportReport run(ImportSettings settings) {
        List<LegacyRow> rows = LegacyOrdersFile.read(settings.database());
        UUID runId = UUID.randomUUID();
        Instant now = Instant.now();
        List<Object> checked = check(rows, new LegacyRules(settings.zone(), now.plus(SKEW)));
        Properties login = new Properties();
        if (settings.username() != null) {
            login.setProperty("user", settings.username());
        }
        if (settings.password() != null) {
            login.setProperty("password", settings.password());
        }
        login.setProperty("ApplicationName", APPLICATION_NAME);
        try (Connection db = DriverManager.getConnection(settings.jdbcUrl(), login)) {
            db.setAutoCommit(false);
            db.setReadOnly(settings.dryRun());
            try {
                ImportReport report = importRows(db, settings, checked, runId, now);
                if (settings.dryRun()) {
                    db.rollback();
                } else {
                    db.commit();
                }
                return report;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(db);
                throw e;
            }
        } catch (SQLException e) {
            throw new ImportException("The import failed and wrote nothing: " + describe(e), e);
        }
    }

    /** Each row checked ({@link Checked}), or refused at once when its id appears more than once in the file. */
    private static List<Object> check(List<LegacyRow> rows, LegacyRules rules) {
        Map<String, Long> idCounts = rows.stream().collect(Collectors.groupingBy(LegacyRules::label, Collectors.counting()));
        List<Object> checked = new ArrayList<>();
        for (LegacyRow row : rows) {
            String label = LegacyRules.label(row);
            long copies = idCounts.get(label);
            checked.add(copies > 1 && !label.startsWith("row:")
                    ? new Refused(label, List.of("id: appears " + copies + " times in the file; none of them is imported"))
                    : rules.check(row));
        }
        return checked;
    }

    private static ImportReport importRows(Connection db, ImportSettings settings, List<Object> checked, UUID runId,
                                           Instant now) throws SQLException {
        requireSchema(db);
        if (!settings.dryRun()) {
            // a second run at the same time waits here, then finds this one's rows and skips them (an advisory lock:
            // the runtime role may only insert into legacy_import, and LOCK TABLE would need more)
            try (Statement lock = db.createStatement()) {
                lock.execute("select pg_advisory_xact_lock(" + RUN_LOCK + ")");
            }
        }
        Map<String, CatalogPackage> packages = packages(db);
        CatalogPackage forced = null;
        if (settings.packageId() != null) {
            forced = packages.get(settings.packageId());
            if (forced == null) {
                throw new ImportException("There is no package '" + settings.packageId() + "' in the catalogue (orders.package)"
                        + "; known: " + String.join(", ", packages.keySet()));
            }
        }
        Map<Long, Earlier> earlier = earlierImports(db, checked);
        List<Outcome> outcomes = new ArrayList<>();
        Writer writer = new Writer(db, runId, now, settings.accessUrl());
        for (Object result : checked) {
            if (result instanceof Refused refused) {
                outcomes.add(refused);
            } else if (result instanceof Checked.Refused refused) {
                outcomes.add(new Refused(refused.label(), refused.reasons()));
            } else {
                Valid row = ((Checked.Accepted) result).row();
                outcomes.add(decide(row, earlier.get(row.legacyId()), packages, forced, writer));
            }
        }
        if (!settings.dryRun()) {
            if (writer.paidRows() > 0 && (settings.accessUrl() == null || settings.accessUrl().isBlank())) {
                throw new ImportException("Paid orders need the course's address for their entitlements: set COURSE_ACCESS_URL"
                        + " (as order-service has it) or --access-url");
            }
            writer.flush();
        }
        return new ImportReport(runId, settings.dryRun(), List.copyOf(outcomes));
    }

    private static Outcome decide(Valid row, Earlier earlier, Map<String, CatalogPackage> packages, CatalogPackage forced,
                                  Writer writer) throws SQLException {
        String label = String.valueOf(row.legacyId());
        if (earlier != null) {
            return earlier.sha256().equals(row.sha256())
                    ? new Skipped(label, earlier.orderId())
                    : new Refused(label, List.of("already imported as order " + earlier.orderId()
                            + ", and the row has changed in the file since: not imported again; compare them by hand"));
        }
        CatalogPackage pkg;
        if (forced != null) {
            if (row.amount() > forced.price()) {
                return new Refused(label, List.of("amount: " + row.amount() + " is above the price of package '"
                        + forced.id() + "' (" + forced.price() + ")"));
            }
            pkg = forced;
        } else {
            List<CatalogPackage> priced = packages.values().stream().filter(p -> p.price() == row.amount()).toList();
            if (priced.size() != 1) {
                return new Refused(label, List.of(priced.isEmpty()
                        ? "amount: " + row.amount() + " is the price of no package (" + prices(packages)
                                + "); name the package with --package to import it at this amount"
                        : "amount: " + row.amount() + " is the price of several packages ("
                                + priced.stream().map(CatalogPackage::id).collect(Collectors.joining(", "))
                                + "); name one with --package"));
            }
            pkg = priced.get(0);
        }
        UUID orderId = writer.add(row, pkg);
        return new Imported(label, orderId, row.status().orderStatus, pkg.id(), row.amount());
    }

    private static String prices(Map<String, CatalogPackage> packages) {
        return packages.values().stream().map(p -> p.id() + " " + p.price()).collect(Collectors.joining(", "));
    }

    private static void requireSchema(Connection db) throws SQLException {
        try (Statement sql = db.createStatement();
             ResultSet found = sql.executeQuery("select to_regclass('" + SCHEMA + ".legacy_import') is not null")) {
            found.next();
            if (!found.getBoolean(1)) {
                throw new ImportException("The database has no table " + SCHEMA + ".legacy_import: start order-service of this"
                        + " version once (its migration V4 adds it), then import");
            }
        }
    }

    /** A package of the catalogue. */
    record CatalogPackage(String id, String name, long price) {
    }

    private static Map<String, CatalogPackage> packages(Connection db) throws SQLException {
        Map<String, CatalogPackage> packages = new TreeMap<>();
        try (Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("select id, name, price from " + SCHEMA + ".package order by id")) {
            while (rows.next()) {
                packages.put(rows.getString(1), new CatalogPackage(rows.getString(1), rows.getString(2), rows.getLong(3)));
            }
        }
        return packages;
    }

    /** What an earlier run recorded for an old id. */
    private record Earlier(UUID orderId, String sha256) {
    }

    private static Map<Long, Earlier> earlierImports(Connection db, List<Object> checked) throws SQLException {
        Long[] ids = checked.stream().filter(Checked.Accepted.class::isInstance)
                .map(accepted -> ((Checked.Accepted) accepted).row().legacyId()).toArray(Long[]::new);
        Map<Long, Earlier> earlier = new HashMap<>();
        try (PreparedStatement sql = db.prepareStatement("select legacy_order_id, order_id, row_sha256 from " + SCHEMA
                + ".legacy_import where legacy_order_id = any(?)")) {
            Array array = db.createArrayOf("bigint", ids);
            sql.setArray(1, array);
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    earlier.put(rows.getLong(1), new Earlier(rows.getObject(2, UUID.class), rows.getString(3)));
                }
            }
        }
        return earlier;
    }

    /** The rows a run writes, batched per table and sent in {@link #flush}, inside the run's transaction. */
    private static final class Writer {

        private final Connection db;
        private final String correlationId;
        private final OffsetDateTime now;
        private final String accessUrl;
        private final List<Valid> rows = new ArrayList<>();
        private final List<UUID> orderIds = new ArrayList<>();
        private final List<CatalogPackage> packages = new ArrayList<>();

        Writer(Connection db, UUID runId, Instant now, String accessUrl) {
            this.db = db;
            this.correlationId = "legacy-import-" + runId;
            this.now = now.atOffset(ZoneOffset.UTC);
            this.accessUrl = accessUrl;
        }

        UUID add(Valid row, CatalogPackage pkg) {
            UUID orderId = UUID.randomUUID();
            rows.add(row);
            orderIds.add(orderId);
            packages.add(pkg);
            return orderId;
        }

        long paidRows() {
            return rows.stream().filter(row -> row.status() == LegacyStatus.PAID).count();
        }

        void flush() throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            batch("insert into " + SCHEMA + ".customer_order (id, package_id, package_name, price, discount_code,"
                    + " discount_amount, amount, currency, status, customer_name, customer_email, customer_phone, created_at,"
                    + " expires_at, paid_at, closed_at, closed_reason, updated_at)"
                    + " values (?, ?, ?, ?, null, ?, ?, 'IDR', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (i, sql) -> {
                Valid row = rows.get(i);
                CatalogPackage pkg = packages.get(i);
                OffsetDateTime created = row.createdAt().atOffset(ZoneOffset.UTC);
                boolean paid = row.status() == LegacyStatus.PAID;
                sql.setObject(1, orderIds.get(i));
                sql.setString(2, pkg.id());
                sql.setString(3, pkg.name());
                sql.setLong(4, pkg.price());
                sql.setLong(5, pkg.price() - row.amount());
                sql.setLong(6, row.amount());
                sql.setString(7, row.status().orderStatus);
                sql.setString(8, row.name());
                sql.setString(9, row.email());
                sql.setString(10, row.phone());
                sql.setObject(11, created);
                // the old shop's payment window is not known; it is over either way
                sql.setObject(12, created);
                // nor when it was paid: the order's creation is the best known bound
                sql.setObject(13, paid ? created : null, Types.TIMESTAMP_WITH_TIMEZONE);
                sql.setObject(14, paid ? null : now, Types.TIMESTAMP_WITH_TIMEZONE);
                sql.setString(15, row.status().closedReason);
                sql.setObject(16, now);
            });
            batch("insert into " + SCHEMA + ".audit_log (order_id, actor, action, old_value, new_value, reason, correlation_id)"
                    + " values (?, '" + ACTOR + "', 'status', null, ?, ?, ?)", (i, sql) -> {
                Valid row = rows.get(i);
                sql.setObject(1, orderIds.get(i));
                sql.setString(2, row.status().orderStatus);
                sql.setString(3, "imported from the old shop: order " + row.legacyId() + " (" + row.legacyStatus() + ")"
                        + (row.status() == LegacyStatus.PAID ? ", access granted, nothing sent" : ", closed, nothing sent"));
                sql.setString(4, correlationId);
            });
            List<Integer> paid = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).status() == LegacyStatus.PAID) {
                    paid.add(i);
                }
            }
            batch("insert into " + SCHEMA + ".entitlement (id, order_id, email, package_id, status, access_url, granted_at,"
                    + " updated_at) values (?, ?, ?, ?, 'ACTIVE', ?, ?, ?)", paid.size(), (n, sql) -> {
                int i = paid.get(n);
                sql.setObject(1, UUID.randomUUID());
                sql.setObject(2, orderIds.get(i));
                sql.setString(3, rows.get(i).email());
                sql.setString(4, packages.get(i).id());
                sql.setString(5, accessUrl);
                sql.setObject(6, rows.get(i).createdAt().atOffset(ZoneOffset.UTC));
                sql.setObject(7, now);
            });
            // a paid order holds a place on its package, as after a checkout (beyond any quota: it was paid)
            Map<String, Long> places = paid.stream().collect(Collectors.groupingBy(i -> packages.get(i).id(), TreeMap::new,
                    Collectors.counting()));
            List<Map.Entry<String, Long>> placeList = new ArrayList<>(places.entrySet());
            batch("update " + SCHEMA + ".package set reserved = reserved + ? where id = ?", placeList.size(), (n, sql) -> {
                sql.setLong(1, placeList.get(n).getValue());
                sql.setString(2, placeList.get(n).getKey());
            });
            batch("insert into " + SCHEMA + ".legacy_import (legacy_order_id, order_id, row_sha256) values (?, ?, ?)", (i, sql) -> {
                sql.setLong(1, rows.get(i).legacyId());
                sql.setObject(2, orderIds.get(i));
                sql.setString(3, rows.get(i).sha256());
            });
        }

        private interface Binder {
            void bind(int index, PreparedStatement sql) throws SQLException;
        }

        private void batch(String statement, Binder binder) throws SQLException {
            batch(statement, rows.size(), binder);
        }

        private void batch(String statement, int count, Binder binder) throws SQLException {
            if (count == 0) {
                return;
            }
            try (PreparedStatement sql = db.prepareStatement(statement)) {
                for (int i = 0; i < count; i++) {
                    binder.bind(i, sql);
                    sql.addBatch();
                }
                sql.executeBatch();
            }
        }
    }

    private static void rollbackQuietly(Connection db) {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: the server rolled the transaction back itself
        }
    }

    /** The server's own words (SQLSTATE and message), never its detail lines, which may quote row values. */
    static String describe(SQLException e) {
        SQLException first = e;
        while (first.getNextException() != null && first instanceof java.sql.BatchUpdateException) {
            first = first.getNextException();
        }
        if (first instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            return psql.getServerErrorMessage().getMessage() + " (SQLSTATE " + psql.getSQLState() + ")";
        }
        String message = first.getMessage() == null ? first.getClass().getSimpleName() : first.getMessage();
        int detail = message.indexOf("\n");
        return (detail < 0 ? message : message.substring(0, detail)) + (first.getSQLState() == null ? ""
                : " (SQLSTATE " + first.getSQLState() + ")");
    }
}
