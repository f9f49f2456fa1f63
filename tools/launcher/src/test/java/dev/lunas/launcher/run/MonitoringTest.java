package dev.lunas.launcher.run;

import static dev.lunas.launcher.run.RepositoryFiles.list;
import static dev.lunas.launcher.run.RepositoryFiles.load;
import static dev.lunas.launcher.run.RepositoryFiles.map;
import static dev.lunas.launcher.run.RepositoryFiles.repository;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files against each other and against the code: every metric an alert rule (or a rule unit test)
 * names is in deploy/prometheus/metrics.txt, exported by the service its {@code service} matcher names; the
 * PrometheusRule carries exactly the groups of alerts.yaml; every alert has its severity, team, annotations,
 * runbook page, README row and a unit test that fires it and one that must not; Alertmanager and the payment alert
 * codes name only what exists. promtool and amtool check the rest (deploy/check-monitoring, run by .ci/run).
 */
class MonitoringTest {

    private static final Path REPOSITORY = repository();
    private static final Path PROMETHEUS = REPOSITORY.resolve("deploy").resolve("prometheus");
    private static final Set<String> SEVERITIES = Set.of("P0", "P1", "P2", "P3");
    private static final Set<String> TEAMS = Set.of("payments", "ops");
    /** Series a histogram (a Micrometer timer) exports besides its base name. */
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");
    /** PromQL words that are neither metrics nor functions: operators, modifiers and aggregations. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");
    /** PromQL words followed by a list of label names. */
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Pattern SERVICE_MATCHER = Pattern.compile("(?:^|[\\s,])service\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern CODE_MATCHER = Pattern.compile("(?:^|[\\s,])code\\s*=(~?)\\s*\"([^\"]*)\"");

    @Test
    void everyMetricARuleOrARuleTestNamesIsListedForItsService() throws IOException {
        Map<String, Set<String>> servicesByMetric = listedMetrics();
        Set<String> recorded = new TreeSet<>();
        rules().forEach(rule -> {
            if (rule.get("record") != null) {
                recorded.add((String) rule.get("record"));
            }
        });
        List<String> problems = new ArrayList<>();

        for (Map<String, Object> rule : rules()) {
            String name = (String) (rule.get("alert") != null ? rule.get("alert") : rule.get("record"));
            for (Selector selector : selectors((String) rule.get("expr"))) {
                problems.addAll(unlisted(name, selector, servicesByMetric, recorded));
            }
        }
        for (Map<String, Object> test : ruleTests()) {
            for (Object entry : list(test.get("input_series"))) {
                String series = (String) map(entry).get("series");
                for (Selector selector : selectors(series)) {
                    problems.addAll(unlisted("a test's input series " + series, selector, servicesByMetric, recorded));
                }
            }
        }

        assertThat(problems).as("metrics the rules use but deploy/prometheus/metrics.txt does not list").isEmpty();
    }

    @Test
    void thePrometheusRuleCarriesExactlyTheGroupsOfTheRulesFile() throws IOException {
        Map<String, Object> rulesFile = load(PROMETHEUS.resolve("alerts.yaml")).get(0);
        Map<String, Object> prometheusRule = load(REPOSITORY.resolve("deploy").resolve("k8s")
                .resolve("prometheus-operator").resolve("prometheus-rule.yaml")).get(0);

        assertThat(prometheusRule.get("kind")).isEqualTo("PrometheusRule");
        assertThat(prometheusRule.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        String copy = "deploy/k8s/prometheus-operator/prometheus-rule.yaml against deploy/prometheus/alerts.yaml "
                + "(run deploy/prometheus/render-prometheus-rule)";
        List<?> expected = list(rulesFile.get("groups"));
        List<?> actual = list(map(prometheusRule.get("spec")).get("groups"));
        assertThat(actual.stream().map(group -> map(group).get("name")).toList()).as("%s: its groups", copy)
                .isEqualTo(expected.stream().map(group -> map(group).get("name")).toList());
        for (int g = 0; g < expected.size(); g++) {
            List<?> expectedRules = list(map(expected.get(g)).get("rules"));
            List<?> actualRules = list(map(actual.get(g)).get("rules"));
            assertThat(actualRules).as("%s: the rules of group %s", copy, map(expected.get(g)).get("name"))
                    .hasSameSizeAs(expectedRules);
            for (int r = 0; r < expectedRules.size(); r++) {
                Map<String, Object> rule = map(expectedRules.get(r));
                assertThat(actualRules.get(r)).as("%s: %s", copy, rule.getOrDefault("alert", rule.get("record")))
                        .isEqualTo(rule);
            }
        }
        assertThat(actual).as(copy).isEqualTo(expected);
    }

    @Test
    void everyAlertHasSeverityTeamAnnotationsAndItsRunbook() throws IOException {
        Set<String> bases = new TreeSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> rule : alerts()) {
            String alert = (String) rule.get("alert");
            Map<String, Object> labels = map(rule.get("labels"));
            Map<String, Object> annotations = map(rule.get("annotations"));

            assertThat(names.add(alert)).as("%s: one rule per alert", alert).isTrue();
            assertThat(SEVERITIES).as("%s: severity", alert).contains(String.valueOf(labels.get("severity")));
            assertThat(TEAMS).as("%s: team", alert).contains(String.valueOf(labels.get("team")));
            assertThat(String.valueOf(annotations.get("summary"))).as("%s: summary", alert).isNotBlank();
            assertThat(annotations.get("description")).as("%s: description", alert).isNotNull();
            String runbook = String.valueOf(annotations.get("runbook_url"));
            String page = "docs/runbooks/" + alert + ".md";
            assertThat(runbook).as("%s: runbook_url", alert).endsWith("/" + page);
            bases.add(runbook.substring(0, runbook.length() - page.length()));
            assertThat(REPOSITORY.resolve(page)).as("%s: its runbook", alert).isRegularFile();
        }
        assertThat(bases).as("one base for every runbook_url").hasSize(1);
    }

    @Test
    void everyRuleHasAUnitTestThatFiresItAndOneThatMustNot() throws IOException {
        Set<String> fired = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        Set<String> evaluated = new TreeSet<>();
        for (Map<String, Object> test : ruleTests()) {
            for (Object entry : list(test.get("alert_rule_test"))) {
                Map<String, Object> check = map(entry);
                (list(check.get("exp_alerts")).isEmpty() ? quiet : fired).add((String) check.get("alertname"));
            }
            for (Object entry : list(test.get("promql_expr_test"))) {
                evaluated.add(String.valueOf(map(entry).get("expr")).trim());
            }
        }

        for (Map<String, Object> rule : rules()) {
            if (rule.get("alert") != null) {
                String alert = (String) rule.get("alert");
                assertThat(fired).as("deploy/prometheus/tests: a test in which %s fires", alert).contains(alert);
                assertThat(quiet).as("deploy/prometheus/tests: a near miss for %s", alert).contains(alert);
            } else {
                assertThat(evaluated).as("deploy/prometheus/tests: a promql_expr_test of %s", rule.get("record"))
                        .contains((String) rule.get("record"));
            }
        }
    }

    @Test
    void alertmanagerNamesOnlyAlertsThatExist() throws IOException {
        Set<String> alerts = new TreeSet<>();
        alerts().forEach(rule -> alerts.add((String) rule.get("alert")));
        Map<String, Object> config = load(REPOSITORY.resolve("deploy").resolve("alertmanager").resolve("alertmanager.yml")).get(0);
        List<String> matchers = new ArrayList<>();
        for (Object inhibition : list(config.get("inhibit_rules"))) {
            list(map(inhibition).get("source_matchers")).forEach(m -> matchers.add(String.valueOf(m)));
            list(map(inhibition).get("target_matchers")).forEach(m -> matchers.add(String.valueOf(m)));
        }
        Set<String> named = new TreeSet<>();
        Matcher alertname = Pattern.compile("^\\s*alertname\\s*=~?\\s*\"([^\"]*)\"\\s*$").matcher("");
        for (String matcher : matchers) {
            if (alertname.reset(matcher).matches()) {
                named.addAll(List.of(alertname.group(1).split("\\|")));
            }
        }

        assertThat(named).as("the alerts deploy/alertmanager/alertmanager.yml inhibits with or by").isNotEmpty();
        assertThat(alerts).as("alert names in deploy/alertmanager/alertmanager.yml").containsAll(named);
    }

    @Test
    void theReadmeAndTheRunbookIndexListEveryAlert() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        int start = readme.indexOf("## Operating it");
        assertThat(start).as("README.md: the section Operating it").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String operating = readme.substring(start, end < 0 ? readme.length() : end);
        String index = Files.readString(REPOSITORY.resolve("docs").resolve("runbooks").resolve("README.md"));

        for (Map<String, Object> rule : alerts()) {
            String alert = (String) rule.get("alert");
            String severity = (String) map(rule.get("labels")).get("severity");
            assertThat(operating).as("README.md, Operating it: a row for %s", alert)
                    .contains("| [" + alert + "](docs/runbooks/" + alert + ".md) | " + severity + " |");
            assertThat(index).as("docs/runbooks/README.md: a link to %s", alert).contains("(" + alert + ".md)");
        }
    }

    @Test
    void thePaymentAlertCodesTheRulesMatchExist() throws IOException {
        String source = Files.readString(REPOSITORY.resolve(
                "payment-service/src/main/java/dev/lunas/payment/service/PaymentAlert.java"));
        Set<String> codes = new TreeSet<>();
        Matcher constant = Pattern.compile("(?m)^\\s+([A-Z][A-Z0-9_]*)\\s*[,;]\\s*$").matcher(source);
        while (constant.find()) {
            codes.add(constant.group(1).toLowerCase(Locale.ROOT));
        }
        assertThat(codes).as("PaymentAlert's codes").isNotEmpty();

        int matchers = 0;
        for (Map<String, Object> rule : alerts()) {
            for (Selector selector : selectors((String) rule.get("expr"))) {
                if (!"payment_alerts_total".equals(selector.metric())) {
                    continue;
                }
                Matcher code = CODE_MATCHER.matcher(selector.matchers());
                assertThat(code.find()).as("%s: payment_alerts_total without a code matcher", rule.get("alert")).isTrue();
                matchers++;
                String value = code.group(2);
                if (code.group(1).isEmpty()) {
                    assertThat(codes).as("%s: code \"%s\"", rule.get("alert"), value).contains(value);
                } else {
                    Pattern pattern = Pattern.compile(value);
                    assertThat(codes).as("%s: codes matching \"%s\"", rule.get("alert"), value)
                            .anyMatch(c -> pattern.matcher(c).matches());
                }
            }
        }
        assertThat(matchers).as("rules on payment_alerts_total").isPositive();
    }

    /** The PromQL parser's view, small: each vector selector's metric name and the text between its braces. */
    @Test
    void selectorsAreFoundInExpressions() {
        assertThat(selectors("sum by (service, code) ((a_total{code=\"x\"} unless a_total{code=\"x\"} offset 1h)"
                + " or increase(b_total[1h])) > 0 and on () c:rule == 1"))
                .containsExactly(new Selector("a_total", "code=\"x\""), new Selector("a_total", "code=\"x\""),
                        new Selector("b_total", ""), new Selector("c:rule", ""));
        assertThat(selectors("label_replace(absent(up{job=\"a\"} == 1), \"job\", \"a\", \"\", \"\")"
                + " or max_over_time(g{service=\"s\", method=~\"x.*\"}[5m]) * 1e3 > bool 0.5"))
                .containsExactly(new Selector("up", "job=\"a\""), new Selector("g", "service=\"s\", method=~\"x.*\""));
        assertThat(selectors("((hour() + 7) % 24 >= bool 8) * time() - min without (instance) (h) offset 5m"))
                .containsExactly(new Selector("h", ""));
    }

    private static List<String> unlisted(String where, Selector selector, Map<String, Set<String>> servicesByMetric,
                                         Set<String> recorded) {
        if (selector.metric() == null || recorded.contains(selector.metric())) {
            return List.of();
        }
        Set<String> services = servicesByMetric.get(selector.metric());
        if (services == null) {
            for (String suffix : HISTOGRAM_SUFFIXES) {
                if (selector.metric().endsWith(suffix)) {
                    services = servicesByMetric.get(selector.metric().substring(0, selector.metric().length() - suffix.length()));
                    break;
                }
            }
        }
        if (services == null) {
            return List.of(where + ": " + selector.metric());
        }
        Matcher service = SERVICE_MATCHER.matcher(selector.matchers());
        if (service.find() && !services.contains(service.group(1))) {
            return List.of(where + ": " + selector.metric() + " of " + service.group(1) + " (listed for " + services + ")");
        }
        return List.of();
    }

    /** metrics.txt: metric name → the services that export it. */
    private static Map<String, Set<String>> listedMetrics() throws IOException {
        Map<String, Set<String>> metrics = new LinkedHashMap<>();
        for (String line : Files.readAllLines(PROMETHEUS.resolve("metrics.txt"))) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.split("\\s+");
            assertThat(fields).as("metrics.txt: \"%s\" is not `<service> <metric_name>`", line).hasSize(2);
            assertThat(fields[1]).as("metrics.txt: a Prometheus metric name").matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
            assertThat(metrics.computeIfAbsent(fields[1], name -> new TreeSet<>()).add(fields[0]))
                    .as("metrics.txt: \"%s\" once", line).isTrue();
        }
        return metrics;
    }

    /** Every rule of every rules file in deploy/prometheus (the YAML files with {@code groups}). */
    private static List<Map<String, Object>> rules() throws IOException {
        List<Map<String, Object>> rules = new ArrayList<>();
        try (Stream<Path> files = Files.list(PROMETHEUS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Map<String, Object> document : load(file)) {
                    for (Object group : list(document.get("groups"))) {
                        list(map(group).get("rules")).forEach(rule -> rules.add(map(rule)));
                    }
                }
            }
        }
        assertThat(rules).as("rules in deploy/prometheus").isNotEmpty();
        return rules;
    }

    private static List<Map<String, Object>> alerts() throws IOException {
        return rules().stream().filter(rule -> rule.get("alert") != null).toList();
    }

    /** The test cases of deploy/prometheus/tests/*.yaml (promtool's unit tests). */
    private static List<Map<String, Object>> ruleTests() throws IOException {
        List<Map<String, Object>> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(PROMETHEUS.resolve("tests"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Map<String, Object> document : load(file)) {
                    list(document.get("tests")).forEach(test -> tests.add(map(test)));
                }
            }
        }
        assertThat(tests).as("tests in deploy/prometheus/tests").isNotEmpty();
        return tests;
    }

    /** A vector selector: its metric name (null for {@code {__name__=...}}) and the text between its braces. */
    record Selector(String metric, String matchers) {
    }

    /**
     * The vector selectors of a PromQL expression (or of a promtool series). Not a parser, but enough for rules:
     * skips strings, comments, ranges, numbers and durations, label lists after by/without/on/ignoring/group_*,
     * keywords and aggregations, and function names (a word followed by a parenthesis).
     */
    static List<Selector> selectors(String expression) {
        List<Selector> found = new ArrayList<>();
        String text = expression == null ? "" : expression;
        int length = text.length();
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(text, i);
            } else if (c == '#') {
                while (i < length && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '[') {
                i = text.indexOf(']', i) + 1;
            } else if (c == '{') {
                int end = closingBrace(text, i);
                found.add(new Selector(null, text.substring(i + 1, end).strip()));
                i = end + 1;
            } else if (Character.isDigit(c) || c == '.') {
                while (i < length && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < length && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == ':')) {
                    i++;
                }
                String word = text.substring(start, i);
                int next = i;
                while (next < length && Character.isWhitespace(text.charAt(next))) {
                    next++;
                }
                boolean parenthesis = next < length && text.charAt(next) == '(';
                if (LABEL_LISTS.contains(word.toLowerCase(Locale.ROOT))) {
                    if (parenthesis) {
                        i = text.indexOf(')', next) + 1;
                    }
                } else if (!KEYWORDS.contains(word.toLowerCase(Locale.ROOT)) && !parenthesis) {
                    String matchers = "";
                    if (next < length && text.charAt(next) == '{') {
                        int end = closingBrace(text, next);
                        matchers = text.substring(next + 1, end).strip();
                        i = end + 1;
                    }
                    found.add(new Selector(word, matchers));
                }
            } else {
                i++;
            }
        }
        return found;
    }

    private static int afterString(String text, int open) {
        char quote = text.charAt(open);
        int i = open + 1;
        while (i < text.length() && text.charAt(i) != quote) {
            i += text.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return i + 1;
    }

    private static int closingBrace(String text, int open) {
        int i = open + 1;
        while (i < text.length() && text.charAt(i) != '}') {
            char c = text.charAt(i);
            i = c == '"' || c == '\'' || c == '`' ? afterString(text, i) : i + 1;
        }
        return i;
    }
}
