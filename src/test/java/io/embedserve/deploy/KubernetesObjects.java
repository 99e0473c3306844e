package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A rendered YAML stream parsed into fabric8's typed Kubernetes model, strictly: every object must
 * be of a kind the model (or {@link PrometheusOperator}) types, and no field may be unknown to it.
 * fabric8 keeps unknown fields in each object's {@code additionalProperties} instead of failing
 * (Jackson's FAIL_ON_UNKNOWN_PROPERTIES never sees them), so the parse walks every object and
 * fails on the first such field, with its path, as the API server's strict field validation would.
 */
final class KubernetesObjects {

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private final List<HasMetadata> objects;

    private KubernetesObjects(List<HasMetadata> objects) {
        this.objects = objects;
    }

    private static final Map<String, KubernetesObjects> RENDERED = new ConcurrentHashMap<>();

    /** An overlay of deploy/kubernetes/overlays, rendered and parsed once per test JVM. */
    static KubernetesObjects overlay(String name) {
        return RENDERED.computeIfAbsent(name, n -> parse(Kustomize.render(n)));
    }

    static KubernetesObjects parse(String yaml) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        serialization.registerKubernetesResource(PrometheusOperator.ServiceMonitor.class);
        serialization.registerKubernetesResource(PrometheusOperator.PrometheusRule.class);
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.isBlank()) {
                continue;
            }
            HasMetadata object = serialization.unmarshal(document);
            String name = object.getKind() + "/" + object.getMetadata().getName();
            assertThat(object).as(name + " is of a kind the typed model knows").isNotInstanceOf(GenericKubernetesResource.class);
            assertNoUnknownFields(name, object);
            objects.add(object);
        }
        return new KubernetesObjects(objects);
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> named = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
        assertThat(named).as(type.getSimpleName() + " " + name).hasSize(1);
        return named.get(0);
    }

    /** A generated ConfigMap by the name it has before Kustomize appends its content hash. */
    ConfigMap generatedConfigMap(String baseName) {
        List<ConfigMap> matching = all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().matches(Pattern.quote(baseName) + "-[a-z0-9]{10}"))
                .toList();
        assertThat(matching).as("ConfigMap " + baseName + "-<hash>").hasSize(1);
        return matching.get(0);
    }

    ConfigMap configMap(String name) {
        return one(ConfigMap.class, name);
    }

    Deployment deployment() {
        return one(Deployment.class, "embedserve");
    }

    Container app() {
        return container(deployment().getSpec().getTemplate().getSpec().getContainers(), "embedserve");
    }

    Container modelInit() {
        return container(deployment().getSpec().getTemplate().getSpec().getInitContainers(), "model-init");
    }

    Job job(String name) {
        return one(Job.class, name);
    }

    static Container container(List<Container> containers, String name) {
        return containers.stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name + " in " + containers));
    }

    // --- reading containers and pods

    static Map<String, String> modelSettings(KubernetesObjects objects, Container container) {
        Map<String, String> values = new LinkedHashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            values.putAll(objects.configMap(source.getConfigMapRef().getName()).getData());
        }
        values.keySet().retainAll(Set.of("MODEL_ID", "MODEL_REVISION", "HF_HUB_CACHE"));
        return values;
    }

    static Set<String> environmentNames(KubernetesObjects objects, Container container) {
        Set<String> names = new TreeSet<>();
        container.getEnv().forEach(v -> names.add(v.getName()));
        for (EnvFromSource source : container.getEnvFrom()) {
            assertThat(source.getConfigMapRef()).as("envFrom only from ConfigMaps").isNotNull();
            names.addAll(objects.configMap(source.getConfigMapRef().getName()).getData().keySet());
        }
        return names;
    }

    static List<PodSpec> podSpecs(KubernetesObjects objects) {
        List<PodSpec> pods = new ArrayList<>();
        objects.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        objects.all(StatefulSet.class).forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));
        objects.all(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
        return pods;
    }

    static List<Container> allContainers(KubernetesObjects objects) {
        List<Container> containers = new ArrayList<>();
        for (PodSpec pod : podSpecs(objects)) {
            containers.addAll(pod.getInitContainers());
            containers.addAll(pod.getContainers());
        }
        return containers;
    }

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    static String secretRef(Container container, String name) {
        var ref = env(container, name).getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    static VolumeMount mount(Container container, String volume) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " does not mount " + volume));
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    // --- strictness

    private static void assertNoUnknownFields(String path, Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                assertNoUnknownFields(path + "[" + index++ + "]", item);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> assertNoUnknownFields(path + "." + key, item));
            return;
        }
        if (value instanceof Record record) {
            for (var component : record.getClass().getRecordComponents()) {
                Object child = invoke(component.getAccessor(), record);
                if (component.getName().equals("additionalProperties")) {
                    assertThat((Map<?, ?>) child).as("fields unknown to the Kubernetes API at " + path).isNullOrEmpty();
                } else {
                    assertNoUnknownFields(path + "." + component.getName(), child);
                }
            }
            return;
        }
        if (!isModelType(value.getClass())) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (!isGetter(getter)) {
                continue;
            }
            Object child = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) child).as("fields unknown to the Kubernetes API at " + path).isNullOrEmpty();
            } else {
                assertNoUnknownFields(path + "." + property(getter), child);
            }
        }
    }

    private static boolean isModelType(Class<?> type) {
        String name = type.getName();
        return name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith(PrometheusOperator.class.getName());
    }

    private static boolean isGetter(Method method) {
        return method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                && method.getDeclaringClass() != Object.class
                && (method.getName().startsWith("get") || method.getName().startsWith("is"))
                && !method.getName().equals("getClass");
    }

    private static String property(Method getter) {
        String name = getter.getName().replaceFirst("^(get|is)", "");
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Derived views (e.g. a CustomResource's plural) may throw; they hold no parsed fields.
            return null;
        }
    }
}
