package dev.lunas.systemtest.faults;

import dev.lunas.launcher.http.Http;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One scrape of a service's {@code /q/metrics} (Prometheus text), read the way an alert rule reads it. */
final class MetricsSnapshot {

    private record Sample(String name, String labels, double value) {
    }

    private static final Http HTTP = new Http(Duration.ofSeconds(10));

    private final List<Sample> samples;

    private MetricsSnapshot(List<Sample> samples) {
        this.samples = samples;
    }

    static MetricsSnapshot scrape(URI service) {
        HttpResponse<String> response = HTTP.get(service.resolve("/q/metrics"));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + service + "/q/metrics answered " + response.statusCode());
        }
        return parse(response.body());
    }

    static MetricsSnapshot parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space).trim();
            String labels = brace >= 0 && brace < space ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
            } catch (NumberFormatException e) {
                // a value this reader does not need
            }
        }
        return new MetricsSnapshot(samples);
    }

    /** The sum of every series of the metric carrying all the given labels ({@code "channel", "EMAIL", …}). */
    double sum(String name, String... labels) {
        double sum = 0;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && hasLabels(sample.labels(), labels)) {
                sum += sample.value();
            }
        }
        return sum;
    }

    private static boolean hasLabels(String rendered, String[] labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!rendered.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                return false;
            }
        }
        return true;
    }
}
