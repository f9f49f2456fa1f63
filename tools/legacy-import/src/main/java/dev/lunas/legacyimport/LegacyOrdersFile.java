package dev.lunas.legacyimport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/** Reads the old shop's SQLite {@code orders.db}, opened read-only: the file is never changed. */
public final class LegacyOrdersFile {

    static final String QUERY = "select id, customerName, email, phone, amount, status, created_at from orders order by rowid";

    private LegacyOrdersFile() {
    }

    /** Every row of table {@code orders}, in the order they were written. */
    public static List<LegacyRow> read(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ImportException("There is no readable file " + file);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection sqlite = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery(QUERY)) {
            List<LegacyRow> read = new ArrayList<>();
            while (rows.next()) {
                read.add(new LegacyRow(read.size() + 1, rows.getObject(1), rows.getObject(2), rows.getObject(3),
                        rows.getObject(4), rows.getObject(5), rows.getObject(6), rows.getObject(7)));
            }
            return read;
        } catch (SQLException e) {
            throw new ImportException(file + " is not the old shop's database (an SQLite file with table orders: id, "
                    + "customerName, email, phone, amount, status, created_at): " + e.getMessage(), e);
        }
    }
}
