package dev.lunas.common.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For the services' metrics tests: the names {@code deploy/prometheus/metrics.txt} lists for a service (the names
 * the alert rules rely on; one {@code <service> <metric_name>} a line, {@code #} comments and blank lines
 * ignored), and which names a {@code /q/metrics} scrape exports for the service.
 */
public final class ExportedMetrics {

    /** The list, from a service module's directory (where its tests run). */
    public static final Path LIST = Path.of("..", "deploy", "prometheus", "metrics.txt");

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");

    private ExportedMetrics() {
    }

    /** The names the list gives for the service; fails, saying so, when there is no list. */
    public static Set<String> listed(String service) {
        if (!Files.isRegularFile(LIST)) {
            throw new AssertionError(LIST.toAbsolutePath().normalize() + " does not exist: it lists, one "
                    + "'<service> <metric_name>' a line, the metrics the alert rules in deploy/prometheus use, "
                    + "and this test checks that " + service + " exports each of its names");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(LIST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String line : lines) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.split("\\s+");
            if (fields.length != 2) {
                throw new AssertionError(LIST + ": '" + line + "' is not '<service> <metric_name>'");
            }
            if (fields[0].equals(service)) {
                names.add(fields[1]);
            }
        }
        return names;
    }

    /**
     * Whether SmallRye Fault Tolerance registers the metric ({@code ft_*}): it registers a guarded method's meters
     * at the method's first call, not at start-up.
     */
    public static boolean faultTolerance(String name) {
        return name.startsWith("ft_");
    }

    /**
     * Those of the names the scrape exports no sample of with the tag {@code service="<service>"}. A name is
     * exported when a sample has it, or has it with the suffix Prometheus adds to a counter ({@code _total}) or a
     * histogram or timer ({@code _count}, beside {@code _bucket} and {@code _sum}).
     */
    public static List<String> missing(Collection<String> names, String scrape, String service) {
        Set<String> exported = samples(scrape, service);
        return names.stream()
                .filter(name -> !exported.contains(name) && !exported.contains(name + "_total")
                        && !exported.contains(name + "_count"))
                .toList();
    }

    /** The names of the samples tagged with the service. */
    public static Set<String> samples(String scrape, String service) {
        String tag = ",service=\"" + service + "\"";
        Set<String> names = new LinkedHashSet<>();
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            if (("," + sample.group(2)).contains(tag)) {
                names.add(sample.group(1));
            }
        }
        return names;
    }
}
