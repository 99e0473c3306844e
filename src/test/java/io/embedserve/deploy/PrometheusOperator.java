package io.embedserve.deploy;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two Prometheus Operator kinds the manifests use (monitoring.coreos.com/v1), typed for
 * {@link KubernetesObjects}: fabric8 8.0 on Maven Central has no model for them. Each type holds
 * the fields of the operator's API reference that the manifests may use; anything else lands in
 * {@code additionalProperties}, which the strict parse rejects. Add a field here (with the
 * operator's spelling) before a manifest uses it.
 */
final class PrometheusOperator {

    private PrometheusOperator() {}

    /** Collects fields the types do not declare, for the strict parse to reject. */
    abstract static class Strict<S> extends CustomResource<S, Void> implements Namespaced {
        private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

        @JsonAnySetter
        void setAdditionalProperty(String name, Object value) {
            additionalProperties.put(name, value);
        }

        @JsonAnyGetter
        public Map<String, Object> getAdditionalProperties() {
            return additionalProperties;
        }
    }

    @Group("monitoring.coreos.com")
    @Version("v1")
    static final class ServiceMonitor extends Strict<ServiceMonitorSpec> {}

    @Group("monitoring.coreos.com")
    @Version("v1")
    static final class PrometheusRule extends Strict<PrometheusRuleSpec> {}

    record ServiceMonitorSpec(
            String jobLabel,
            LabelSelector selector,
            NamespaceSelector namespaceSelector,
            List<Endpoint> endpoints,
            List<String> targetLabels,
            List<String> podTargetLabels,
            @JsonAnySetter Map<String, Object> additionalProperties) {}

    record NamespaceSelector(Boolean any, List<String> matchNames,
            @JsonAnySetter Map<String, Object> additionalProperties) {}

    record Endpoint(
            String port,
            String path,
            String scheme,
            String interval,
            String scrapeTimeout,
            Boolean honorLabels,
            List<Map<String, Object>> relabelings,
            List<Map<String, Object>> metricRelabelings,
            @JsonAnySetter Map<String, Object> additionalProperties) {}

    record PrometheusRuleSpec(List<RuleGroup> groups, @JsonAnySetter Map<String, Object> additionalProperties) {}

    record RuleGroup(String name, String interval, List<Rule> rules,
            @JsonAnySetter Map<String, Object> additionalProperties) {}

    record Rule(
            String alert,
            String record,
            String expr,
            @JsonProperty("for") String forDuration,
            @JsonProperty("keep_firing_for") String keepFiringFor,
            Map<String, String> labels,
            Map<String, String> annotations,
            @JsonAnySetter Map<String, Object> additionalProperties) {}
}
