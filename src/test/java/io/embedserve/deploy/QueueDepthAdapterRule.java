package io.embedserve.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The prometheus-adapter rule of the queue-depth autoscaling component (not a Kubernetes object). */
final class QueueDepthAdapterRule {

    static final Path FILE = Kustomize.KUBERNETES.resolve("components/queue-depth-autoscaling/prometheus-adapter-rules.yaml");

    private QueueDepthAdapterRule() {}

    static Map<String, Object> read() {
        try {
            Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(FILE));
            List<?> rules = (List<?>) root.get("rules");
            if (rules == null || rules.size() != 1) {
                throw new AssertionError(FILE + " should hold exactly one rule, has " + rules);
            }
            return cast(rules.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String seriesQuery(Map<String, Object> rule) {
        return String.valueOf(rule.get("seriesQuery"));
    }

    /** The metric name the adapter serves, which the HorizontalPodAutoscaler asks for. */
    static String exposedName(Map<String, Object> rule) {
        return String.valueOf(cast(rule.get("name")).get("as"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }
}
