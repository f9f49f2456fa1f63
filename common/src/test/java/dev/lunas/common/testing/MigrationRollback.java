package dev.lunas.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/**
 * Proves that every migration of a schema can be undone: applies all of them, runs each rollback
 * script ({@code U<version>__<name>.sql} beside {@code V<version>__<name>.sql}) newest first, checks that
 * nothing of the schema is left but Flyway's history, then applies everything again.
 */
public final class MigrationRollback {

    private static final Pattern VERSIONED = Pattern.compile("([VU])([0-9_.]+)__(.+)\\.sql");

    private MigrationRollback() {
    }

    /** Runs the whole cycle; fails with a message naming the first migration that did not roll back cleanly. */
    public static void verify(TestDatabase database, String schema, String... locations) {
        Flyway flyway = flyway(database, schema, locations);
        flyway.clean();
        flyway.migrate();

        List<Script> rollbacks = scripts(locations, "U");
        List<Script> migrations = scripts(locations, "V");
        for (Script migration : migrations) {
            if (rollbacks.stream().noneMatch(r -> r.version.equals(migration.version))) {
                throw new AssertionError("Migration " + migration.name + " has no rollback script U"
                        + migration.version + "__*.sql beside it");
            }
        }
        rollbacks.sort(Comparator.comparing((Script s) -> s.order).reversed());
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("set search_path to " + schema);
            for (Script rollback : rollbacks) {
                sql.execute(rollback.sql);
                sql.execute("delete from " + schema + ".flyway_schema_history where version = '"
                        + rollback.version.replace('_', '.') + "'");
            }
            List<String> left = new ArrayList<>();
            try (ResultSet rs = sql.executeQuery("select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                    + " where n.nspname = '" + schema + "' and c.relname not like 'flyway_schema_history%'"
                    + " union all select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
                    + " where n.nspname = '" + schema + "'"
                    + " union all select t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace"
                    + " where n.nspname = '" + schema + "' and t.typtype in ('e', 'd')")) {
                while (rs.next()) {
                    left.add(rs.getString(1));
                }
            }
            if (!left.isEmpty()) {
                throw new AssertionError("After rolling back every migration of " + schema + " these remain: " + left);
            }
        } catch (SQLException e) {
            throw new AssertionError("A rollback script of " + schema + " failed: " + e.getMessage(), e);
        }
        flyway.migrate();
    }

    public static Flyway flyway(TestDatabase database, String schema, String... locations) {
        return Flyway.configure()
                .dataSource(database.jdbcUrl(), database.username(), database.password())
                .schemas(schema)
                .locations(locations)
                .cleanDisabled(false)
                .load();
    }

    private record Script(String name, String version, Version order, String sql) {
    }

    private record Version(List<Integer> parts) implements Comparable<Version> {
        static Version parse(String text) {
            return new Version(Stream.of(text.split("[._]")).map(Integer::valueOf).toList());
        }

        @Override
        public int compareTo(Version other) {
            for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
                int a = i < parts.size() ? parts.get(i) : 0;
                int b = i < other.parts.size() ? other.parts.get(i) : 0;
                if (a != b) {
                    return Integer.compare(a, b);
                }
            }
            return 0;
        }
    }

    private static List<Script> scripts(String[] locations, String prefix) {
        List<Script> found = new ArrayList<>();
        for (String location : locations) {
            String folder = location.replaceFirst("^classpath:", "");
            try {
                for (URL url : java.util.Collections.list(MigrationRollback.class.getClassLoader().getResources(folder))) {
                    forEachFile(url, file -> {
                        Matcher m = VERSIONED.matcher(file.getFileName().toString());
                        if (m.matches() && m.group(1).equals(prefix)) {
                            try {
                                found.add(new Script(file.getFileName().toString(), m.group(2),
                                        Version.parse(m.group(2)), Files.readString(file, StandardCharsets.UTF_8)));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    });
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private interface FileAction {
        void accept(Path file);
    }

    private static void forEachFile(URL url, FileAction action) throws IOException {
        try {
            if (url.getProtocol().equals("jar")) {
                String spec = url.toString();
                int separator = spec.indexOf("!/");
                try (FileSystem jar = FileSystems.newFileSystem(java.net.URI.create(spec.substring(0, separator)), Map.of())) {
                    walk(jar.getPath(spec.substring(separator + 1)), action);
                }
            } else {
                walk(Path.of(url.toURI()), action);
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static void walk(Path folder, FileAction action) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(Files::isRegularFile).forEach(action::accept);
        }
    }
}
