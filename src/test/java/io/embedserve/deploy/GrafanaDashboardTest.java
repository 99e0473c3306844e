package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard of deploy/monitoring: every query, panels' and variables' alike, names
 * only series the running service exports, every panel reads the dashboard's Prometheus variable,
 * and the topics the issue asks for each have a panel.
 */
class GrafanaDashboardTest extends LiveServiceTest {

    static final Path DASHBOARD = Shell.PROJECT.resolve("deploy/monitoring/grafana/dashboards/embedserve.json");

    /** A topic the dashboard must show, and a series only a panel on that topic would query. */
    private static final Map<String, String> TOPICS = new LinkedHashMap<>();

    static {
        TOPICS.put("request rate and outcome by route", "embedserve_requests_total");
        TOPICS.put("latency percentiles", "embedserve_request_duration_seconds_bucket");
        TOPICS.put("queue depth", "embedserve_queue_depth");
        TOPICS.put("queue wait", "embedserve_request_queue_seconds_bucket");
        TOPICS.put("batch size", "embedserve_batch_size_inputs_sum");
        TOPICS.put("padding share and tokens per second", "embedserve_batch_tokens_sum");
        TOPICS.put("cache hit ratio", "embedserve_cache_hits_total");
        TOPICS.put("cache degradation", "embedserve_cache_degraded");
        TOPICS.put("JVM memory", "jvm_memory_used_bytes");
        TOPICS.put("process resident memory, native included", "embedserve_process_resident_memory_bytes");
    }

    private final JsonNode dashboard = read();

    @Test
    void everyQueryNamesOnlySeriesTheServiceExports() {
        Set<String> exported = exportedSeries();
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        for (Map.Entry<String, String> query : queries().entrySet()) {
            Set<String> absent = new TreeSet<>(PromQl.metricNames(query.getValue()));
            assertThat(PromQl.metricNames(query.getValue())).as(query.getKey() + " names a metric").isNotEmpty();
            absent.removeAll(exported);
            if (!absent.isEmpty()) {
                missing.put(query.getKey(), absent);
            }
        }
        assertThat(missing).as("queries naming series absent from /actuator/prometheus").isEmpty();
    }

    @Test
    void everyTopicHasAPanel() {
        Set<String> named = new TreeSet<>();
        queries().values().forEach(q -> named.addAll(PromQl.metricNames(q)));

        TOPICS.forEach((topic, series) -> assertThat(named).as(topic).contains(series));
    }

    @Test
    void panelsReadThePrometheusChosenInTheDashboardAndHaveDistinctIdsAndPlaces() {
        List<JsonNode> panels = panels();
        Set<Integer> ids = new TreeSet<>();

        assertThat(dashboard.path("uid").asString()).isEqualTo("embedserve");
        assertThat(dashboard.path("templating").path("list").findValuesAsString("name")).contains("datasource", "instance");
        for (JsonNode panel : panels) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id " + panel.path("id")).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            if (!panel.path("type").asString().equals("row")) {
                String title = panel.path("title").asString();
                assertThat(panel.path("datasource").path("uid").asString()).as(title).isEqualTo("${datasource}");
                assertThat(panel.path("targets").isEmpty()).as(title + " has queries").isFalse();
                assertThat(panel.path("description").asString()).as(title + " says what it shows").isNotBlank();
            }
        }
    }

    // --- reading the dashboard

    /** Every PromQL query, by where it is: panel targets and query variables. */
    private Map<String, String> queries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asString() + " " + target.path("refId").asString(),
                        target.path("expr").asString());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asString().equals("query")) {
                String query = variable.path("definition").asString();
                queries.put("variable " + variable.path("name").asString(),
                        query.replaceFirst("^label_values\\((.*), *[a-z_]+\\)$", "$1"));
            }
        }
        return queries;
    }

    private List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    private static JsonNode read() {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
