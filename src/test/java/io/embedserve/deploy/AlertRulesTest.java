package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RequiredTool;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The alert rules of deploy/monitoring: promtool's own check and unit tests where promtool is
 * installed (.ci/run provides it), and always that the rules parse, carry what an on-call person
 * needs, name only series the running service exports, and are the same in the Prometheus
 * Operator's PrometheusRule.
 */
class AlertRulesTest extends LiveServiceTest {

    static final Path RULES = Shell.PROJECT.resolve("deploy/monitoring/prometheus/embedserve-alerts.yml");
    static final Path RULE_TESTS = Shell.PROJECT.resolve("deploy/monitoring/prometheus/embedserve-alerts.test.yml");
    static final Path PROMETHEUS_RULE = Shell.PROJECT.resolve(
            "deploy/kubernetes/components/prometheus-operator/prometheusrule.yaml");

    /** Series that come from elsewhere than the service, and where from. */
    static final Map<String, String> EXTERNAL_SERIES = Map.of(
            "up", "Prometheus itself, one per scrape target",
            "kube_pod_status_ready", "kube-state-metrics, Kubernetes only");

    /** The situations the issue asks an alert for, by alert name. */
    private static final Set<String> REQUIRED_ALERTS = Set.of("EmbedServeDown", "EmbedServeReadinessFlapping",
            "EmbedServeOverloaded", "EmbedServeLatencyHigh", "EmbedServeQueueSaturated", "EmbedServeCacheDegraded",
            "EmbedServeInferenceErrors", "EmbedServeWorkerDead");

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass() {
        String promtool = promtool();
        RequiredTool.require(promtool != null, "promtool is not installed (Debian package prometheus; .ci/run extracts it"
                + " and sets PROMTOOL): the rules are only parsed and checked against the service here");

        Shell.Result check = Shell.run(new ProcessBuilder(promtool, "check", "rules", RULES.toString()));
        assertThat(check.exitCode()).as(check.toString()).isZero();
        Shell.Result test = Shell.run(new ProcessBuilder(promtool, "test", "rules", RULE_TESTS.toString())
                .directory(RULE_TESTS.getParent().toFile()));
        assertThat(test.exitCode()).as(test.toString()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyRequiredSituationHasAnAlertWithSeverityAndTextAndEveryAlertIsUnitTested() throws IOException {
        List<Map<String, Object>> alerts = alerts(load(RULES));
        String unitTests = Files.readString(RULE_TESTS);

        assertThat(alerts).extracting(a -> (String) a.get("alert")).containsAll(REQUIRED_ALERTS).doesNotHaveDuplicates();
        for (Map<String, Object> alert : alerts) {
            String name = (String) alert.get("alert");
            assertThat(map(alert.get("labels")).get("severity")).as(name).isIn("warning", "critical");
            assertThat(map(alert.get("annotations"))).as(name).containsKeys("summary", "description");
            assertThat(unitTests).as(name + " in " + RULE_TESTS.getFileName()).contains("alertname: " + name + "\n");
        }
    }

    @TestFactory
    Stream<DynamicTest> everySeriesTheRulesNameIsExportedByTheService() throws IOException {
        Set<String> exported = exportedSeries();
        Set<String> named = new TreeSet<>();
        for (Map<String, Object> alert : alerts(load(RULES))) {
            named.addAll(PromQl.metricNames((String) alert.get("expr")));
        }
        assertThat(named).contains("embedserve_requests_total", "embedserve_queue_depth", "up");
        return named.stream().filter(name -> !EXTERNAL_SERIES.containsKey(name))
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    assertThat(exported).as("series on /actuator/prometheus").contains(name);
                }));
    }

    @Test
    void thePrometheusOperatorGetsTheSameGroups() throws IOException {
        Map<String, Object> rule = load(PROMETHEUS_RULE);

        assertThat(map(rule.get("spec")).get("groups")).isEqualTo(load(RULES).get("groups"));
    }

    // --- helpers

    static String promtool() {
        String configured = System.getenv("PROMTOOL");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "promtool"))) {
                return Path.of(dir, "promtool").toString();
            }
        }
        return null;
    }

    static Map<String, Object> load(Path file) throws IOException {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }

    static List<Map<String, Object>> alerts(Map<String, Object> rules) {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) map(group).get("rules")) {
                alerts.add(map(rule));
            }
        }
        return alerts;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? new LinkedHashMap<>() : (Map<String, Object>) value;
    }
}
