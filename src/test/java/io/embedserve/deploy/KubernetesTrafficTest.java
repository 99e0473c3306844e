package io.embedserve.deploy;

import static io.embedserve.deploy.KubernetesObjects.overlay;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How traffic reaches the pods and how their number changes: Services on named ports, the
 * NetworkPolicies, autoscaling (CPU, or queue depth through the component), disruption budget,
 * spreading, and the ServiceMonitor.
 */
class KubernetesTrafficTest {

    @Test
    void productionAutoscalesOnCpuAndDisruptsOnePodAtATime() {
        KubernetesObjects production = overlay("production");
        Deployment deployment = production.deployment();
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        HorizontalPodAutoscaler hpa = production.one(HorizontalPodAutoscaler.class, "embedserve");
        PodDisruptionBudget pdb = production.one(PodDisruptionBudget.class, "embedserve");

        assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMetrics()).singleElement()
                .satisfies(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(overlay("dev").all(HorizontalPodAutoscaler.class)).as("dev runs one replica").isEmpty();
        assertThat(overlay("dev").deployment().getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
                .extracting(c -> c.getTopologyKey())
                .contains("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void servicesSelectTheAppAndReachNamedPortsItOpens(String name) {
        KubernetesObjects objects = overlay(name);
        Map<String, String> podLabels = objects.deployment().getSpec().getTemplate().getMetadata().getLabels();
        List<String> appPorts = objects.app().getPorts().stream().map(p -> p.getName()).toList();

        for (String service : List.of("embedserve", "embedserve-management")) {
            Service s = objects.one(Service.class, service);
            assertThat(podLabels).containsAllEntriesOf(s.getSpec().getSelector());
            assertThat(s.getSpec().getPorts()).singleElement()
                    .satisfies(p -> assertThat(appPorts).contains(p.getTargetPort().getStrVal()));
        }
        assertThat(objects.one(Service.class, "embedserve").getSpec().getPorts().get(0).getTargetPort().getStrVal())
                .isEqualTo("http");
        assertThat(objects.one(Service.class, "embedserve-management").getSpec().getPorts().get(0).getTargetPort().getStrVal())
                .isEqualTo("management");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void networkPolicyOpensTheApiToTheNamespaceManagementToMonitoringAndOnlyPostgresOut(String name) {
        KubernetesObjects objects = overlay(name);
        Map<String, String> podLabels = objects.deployment().getSpec().getTemplate().getMetadata().getLabels();
        NetworkPolicy policy = objects.one(NetworkPolicy.class, "embedserve");

        assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        Map<String, NetworkPolicyPeer> fromByPort = new LinkedHashMap<>();
        policy.getSpec().getIngress().forEach(rule -> {
            assertThat(rule.getFrom()).hasSize(1);
            rule.getPorts().forEach(port -> fromByPort.put(port.getPort().getStrVal(), rule.getFrom().get(0)));
        });
        assertThat(fromByPort).containsOnlyKeys("http", "management");
        NetworkPolicyPeer api = fromByPort.get("http");
        assertThat(api.getNamespaceSelector()).as("same namespace only").isNull();
        assertThat(api.getPodSelector().getMatchLabels()).as("any pod").isNullOrEmpty();
        NetworkPolicyPeer management = fromByPort.get("management");
        assertThat(management.getPodSelector()).isNull();
        assertThat(management.getNamespaceSelector().getMatchLabels())
                .containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"));
        List<Integer> egressPorts = new ArrayList<>();
        policy.getSpec().getEgress().forEach(rule -> rule.getPorts().stream().map(NetworkPolicyPort::getPort)
                .forEach(port -> egressPorts.add(port.getIntVal())));
        assertThat(egressPorts).as("Postgres, and DNS to find it").containsOnly(5432, 53);
        NetworkPolicy migrate = objects.one(NetworkPolicy.class, "embedserve-migrate");
        assertThat(migrate.getSpec().getIngress()).isNullOrEmpty();
        assertThat(objects.job("embedserve-migrate").getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(migrate.getSpec().getPodSelector().getMatchLabels());
    }

    @Test
    void serviceMonitorScrapesThePrometheusEndpointOfTheManagementService() {
        KubernetesObjects production = overlay("production");
        PrometheusOperator.ServiceMonitor monitor = production.one(PrometheusOperator.ServiceMonitor.class, "embedserve");
        Service management = production.one(Service.class, "embedserve-management");

        assertThat(management.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().selector().getMatchLabels());
        assertThat(production.one(Service.class, "embedserve").getMetadata().getLabels())
                .as("the API Service is not scraped").doesNotContainEntry("app.kubernetes.io/component", "management");
        assertThat(monitor.getSpec().endpoints()).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.port()).isEqualTo(management.getSpec().getPorts().get(0).getName());
            assertThat(endpoint.path()).isEqualTo("/actuator/prometheus");
        });
        // job="embedserve" in Kubernetes as in compose, so alert rules and dashboard match both.
        assertThat(management.getMetadata().getLabels()).containsEntry(monitor.getSpec().jobLabel(), "embedserve");
        assertThat(overlay("dev").all(PrometheusOperator.ServiceMonitor.class))
                .as("dev clusters may lack the operator's CRDs").isEmpty();
    }

    @Test
    void queueDepthComponentReplacesTheCpuMetricWithThePerPodQueueDepth(@TempDir Path temp)
            throws IOException {
        Files.writeString(temp.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                components:
                  - %s
                """.formatted(temp.relativize(Kustomize.KUBERNETES.resolve("overlays/production")),
                temp.relativize(Kustomize.KUBERNETES.resolve("components/queue-depth-autoscaling"))));
        KubernetesObjects objects = KubernetesObjects.parse(Kustomize.renderDirectory(temp));
        HorizontalPodAutoscaler hpa = objects.one(HorizontalPodAutoscaler.class, "embedserve");
        Map<String, Object> adapter = QueueDepthAdapterRule.read();

        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(metric -> {
            assertThat(metric.getType()).isEqualTo("Pods");
            assertThat(metric.getPods().getMetric().getName()).isEqualTo(QueueDepthAdapterRule.exposedName(adapter));
            assertThat(metric.getPods().getTarget().getType()).isEqualTo("AverageValue");
            assertThat(metric.getPods().getTarget().getAverageValue().getNumericalAmount()).isPositive();
        });
        assertThat(QueueDepthAdapterRule.seriesQuery(adapter)).contains("embedserve_queue_depth");
    }
}
