package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compose `monitoring` profile: Prometheus loads the alert rules of deploy/monitoring and
 * scrapes the management port as job "embedserve" (what the rules and the dashboard select), and
 * Grafana, pinned, gets that Prometheus and the dashboard provisioned. Paths are followed from the
 * host file through the compose mount to the container path each config names.
 */
class MonitoringProfileTest {

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml"})
    void prometheusLoadsTheAlertRulesAndScrapesTheManagementPortAsJobEmbedserve(String file) throws IOException {
        ComposeFile compose = ComposeFile.read(file);
        Map<String, Object> prometheus = compose.service("prometheus");
        Map<String, Object> config = AlertRulesTest.load(hostPath(prometheus, "/etc/prometheus/prometheus.yml"));

        assertThat(String.valueOf(prometheus.get("profiles"))).isEqualTo("[monitoring]");
        assertThat(compose.image("prometheus")).matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+");
        List<?> ruleFiles = (List<?>) config.get("rule_files");
        assertThat(ruleFiles).isNotEmpty();
        for (Object ruleFile : ruleFiles) {
            assertThat(hostPath(prometheus, String.valueOf(ruleFile))).isEqualTo(AlertRulesTest.RULES);
        }
        Map<String, Object> scrape = AlertRulesTest.map(((List<?>) config.get("scrape_configs")).get(0));
        assertThat(scrape.get("job_name")).isEqualTo("embedserve");
        assertThat(scrape.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(String.valueOf(scrape.get("static_configs"))).contains("app:9000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml"})
    void grafanaIsPinnedAndProvisionedWithThatPrometheusAndTheDashboard(String file) throws IOException {
        ComposeFile compose = ComposeFile.read(file);
        Map<String, Object> grafana = compose.service("grafana");
        Path provisioning = hostPath(grafana, "/etc/grafana/provisioning");
        Map<String, Object> datasources = AlertRulesTest.load(provisioning.resolve("datasources/prometheus.yml"));
        Map<String, Object> dashboards = AlertRulesTest.load(provisioning.resolve("dashboards/embedserve.yml"));

        assertThat(String.valueOf(grafana.get("profiles"))).isEqualTo("[monitoring]");
        assertThat(compose.image("grafana")).as("pinned").matches("grafana/grafana:\\d+\\.\\d+\\.\\d+");
        Map<String, Object> datasource = AlertRulesTest.map(((List<?>) datasources.get("datasources")).get(0));
        assertThat(datasource.get("type")).isEqualTo("prometheus");
        assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
        assertThat(compose.hasService("prometheus")).isTrue();
        Map<String, Object> provider = AlertRulesTest.map(((List<?>) dashboards.get("providers")).get(0));
        String dashboardFolder = String.valueOf(AlertRulesTest.map(provider.get("options")).get("path"));
        assertThat(hostPath(grafana, dashboardFolder)).isEqualTo(GrafanaDashboardTest.DASHBOARD.getParent());
        String home = compose.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(hostPath(grafana, home)).isEqualTo(GrafanaDashboardTest.DASHBOARD);
        assertThat(String.valueOf(grafana.get("ports"))).contains("127.0.0.1:");
    }

    /** The host file behind a container path, through the service's bind mounts ("./host:/container[:ro]"). */
    private static Path hostPath(Map<String, Object> service, String containerPath) {
        for (Object volume : (List<?>) service.get("volumes")) {
            String[] parts = String.valueOf(volume).split(":");
            if (parts[0].startsWith("./") && (containerPath + "/").startsWith(parts[1] + "/")) {
                Path host = Shell.PROJECT.resolve(parts[0]).resolve(containerPath.substring(parts[1].length()).replaceFirst("^/", ""))
                        .normalize();
                assertThat(host).as(containerPath + " on the host").exists();
                return host;
            }
        }
        throw new AssertionError("no bind mount provides " + containerPath + " in " + service.get("volumes"));
    }
}
