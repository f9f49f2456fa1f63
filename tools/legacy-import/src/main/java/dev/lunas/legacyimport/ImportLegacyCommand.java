package dev.lunas.legacyimport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * {@code ./lunas import-legacy --db orders.db [--dry-run]}: the legacy import from the command line
 * (docs/legacy-import.md). The Lunas database comes from order-service's standard variables
 * ({@code QUARKUS_DATASOURCE_JDBC_URL}, {@code _USERNAME}, {@code _PASSWORD}) or the flags; the password only from
 * the environment, so it shows in no process list or shell history.
 *
 * <p>Exit status: 0 every row imported or already imported; 3 done, but some rows were refused (listed); 1 failed,
 * nothing written; 2 wrong usage.
 */
public final class ImportLegacyCommand {

    static final String USAGE = """
            Usage: ./lunas import-legacy --db orders.db [--dry-run] [options]

            Moves the old shop's orders (SQLite, table orders) into the Lunas database, each old order once, in one
            transaction; sends nothing. See docs/legacy-import.md.

              --db FILE           the old shop's SQLite database (required; opened read-only)
              --dry-run           check and report only; nothing is written
              --package ID        import every row as this package (default: the package whose price is the amount)
              --zone ZONE         zone of created_at values without one (default UTC, as SQLite writes them)
              --jdbc-url URL      the Lunas database (default: $QUARKUS_DATASOURCE_JDBC_URL)
              --username NAME     its login (default: $QUARKUS_DATASOURCE_USERNAME); password: $QUARKUS_DATASOURCE_PASSWORD
              --access-url URL    where paid customers take the course (default: $COURSE_ACCESS_URL)

            Exit status: 0 all imported or already imported, 3 some rows refused, 1 failed (nothing written), 2 usage.
            """;

    private ImportLegacyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        ImportSettings settings;
        try {
            settings = settings(args, env);
        } catch (IllegalArgumentException e) {
            err.println("import-legacy: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (settings == null) {
            out.print(USAGE);
            return 0;
        }
        out.printf("Legacy import of %s into %s as %s%s%n", settings.database(), withoutParameters(settings.jdbcUrl()),
                settings.username() == null ? "(the driver's default user)" : settings.username(),
                settings.dryRun() ? " — dry run: nothing will be written" : "");
        ImportReport report;
        try {
            report = LegacyImport.run(settings);
        } catch (ImportException e) {
            err.println("import-legacy: " + e.getMessage());
            return 1;
        }
        report.print(out);
        if (settings.dryRun() && settings.accessUrl() == null
                && report.imported().stream().anyMatch(imported -> imported.status().equals("PAID"))) {
            out.println("Note: the real run needs COURSE_ACCESS_URL (or --access-url) for the paid orders' entitlements.");
        }
        out.println(settings.dryRun() ? "Nothing was written." : "Committed (run " + report.runId() + ").");
        return report.refused().isEmpty() ? 0 : 3;
    }

    /** The settings, or null when help was asked for. */
    static ImportSettings settings(List<String> args, Map<String, String> env) {
        Path database = null;
        boolean dryRun = false;
        String packageId = null;
        ZoneId zone = ZoneOffset.UTC;
        String jdbcUrl = env.get("QUARKUS_DATASOURCE_JDBC_URL");
        String username = env.get("QUARKUS_DATASOURCE_USERNAME");
        String accessUrl = env.get("COURSE_ACCESS_URL");
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--dry-run" -> dryRun = true;
                case "--db" -> database = Path.of(value(args, ++i, arg));
                case "--package" -> packageId = value(args, ++i, arg);
                case "--jdbc-url" -> jdbcUrl = value(args, ++i, arg);
                case "--username" -> username = value(args, ++i, arg);
                case "--access-url" -> accessUrl = value(args, ++i, arg);
                case "--zone" -> {
                    String name = value(args, ++i, arg);
                    try {
                        zone = ZoneId.of(name);
                    } catch (DateTimeException e) {
                        throw new IllegalArgumentException("--zone " + name + " is no time zone (e.g. UTC, Asia/Jakarta)");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (database == null) {
            throw new IllegalArgumentException("--db names the old shop's orders.db");
        }
        if (blank(jdbcUrl) || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the Lunas database is needed: QUARKUS_DATASOURCE_JDBC_URL or --jdbc-url"
                    + " (jdbc:postgresql://host:5432/lunas)");
        }
        if (!blank(accessUrl) && !accessUrl.matches("https?://\\S+")) {
            throw new IllegalArgumentException("the course address (COURSE_ACCESS_URL or --access-url) must be an http(s) URL");
        }
        return new ImportSettings(database, jdbcUrl, blank(username) ? null : username,
                env.get("QUARKUS_DATASOURCE_PASSWORD"), blank(accessUrl) ? null : accessUrl, packageId, zone, dryRun);
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The URL without its parameters, which may carry a password. */
    private static String withoutParameters(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
