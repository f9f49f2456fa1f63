package dev.lunas.legacyimport;

import java.nio.file.Path;
import java.time.ZoneId;

/**
 * What one import run is told.
 *
 * @param database  the old shop's SQLite file
 * @param jdbcUrl   the Lunas database (order-service's {@code QUARKUS_DATASOURCE_JDBC_URL})
 * @param username  order-service's runtime role, or any role that may write the orders schema's tables
 * @param password  its password (from the environment only)
 * @param accessUrl where a paid customer takes the course ({@code COURSE_ACCESS_URL}); may be null in a dry run
 * @param packageId the package every row is imported as, or null to find it by the row's amount
 * @param zone      the zone of created_at values written without one
 * @param dryRun    report only: the run's transaction is read-only and rolled back
 */
public record ImportSettings(Path database, String jdbcUrl, String username, String password, String accessUrl,
                             String packageId, ZoneId zone, boolean dryRun) {
}
