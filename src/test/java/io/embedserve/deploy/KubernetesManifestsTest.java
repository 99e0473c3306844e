package io.embedserve.deploy;

import static io.embedserve.deploy.KubernetesObjects.env;
import static io.embedserve.deploy.KubernetesObjects.environmentNames;
import static io.embedserve.deploy.KubernetesObjects.modelSettings;
import static io.embedserve.deploy.KubernetesObjects.overlay;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.convert.DurationStyle;

/**
 * The Kubernetes overlays, rendered with {@code kubectl kustomize} and parsed strictly into the
 * typed API model, agree with what they deploy: the compose files (images, model, Flyway's
 * variables), the service's own configuration (the environment variables it reads, its ports,
 * health groups and drain time). Security, the model volume and migrations, and traffic are
 * checked in the other Kubernetes*Test classes; what only a cluster can show is listed in
 * docs/KUBERNETES.md, "What is validated where".
 */
class KubernetesManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void overlayRendersIntoObjectsOfKnownKindsWithNoUnknownField(String name) {
        KubernetesObjects objects = overlay(name);

        assertThat(objects.all()).extracting(HasMetadata::getKind)
                .contains("Deployment", "Service", "Job", "PodDisruptionBudget", "NetworkPolicy", "ConfigMap");
        assertThat(objects.all(Service.class)).extracting(s -> s.getMetadata().getName())
                .contains("embedserve", "embedserve-management");
        for (HasMetadata object : objects.all()) {
            if (!object.getKind().equals("Namespace")) {
                assertThat(object.getMetadata().getNamespace()).as(object.getKind() + " namespace")
                        .isEqualTo(name.equals("production") ? "embedserve" : "embedserve-dev");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void imagesAndModelAgreeWithTheComposeFile(String name) {
        KubernetesObjects objects = overlay(name);
        ComposeFile compose = ComposeFile.read(Kustomize.COMPOSE_FILE_OF.get(name));
        Map<String, String> model = modelSettings(objects, objects.modelInit());

        assertThat(objects.app().getImage()).isEqualTo(compose.image("app"));
        assertThat(objects.modelInit().getImage()).isEqualTo(compose.image("model-init"))
                .isEqualTo("embedserve-model-init:" + model.get("MODEL_REVISION"));
        Map<String, String> composeApp = compose.environment("app");
        for (String key : List.of("MODEL_ID", "MODEL_REVISION", "HF_HUB_CACHE")) {
            assertThat(model.get(key)).as(key).isEqualTo(ComposeFile.withDefaults(composeApp.get(key)));
        }
        assertThat(modelSettings(objects, objects.app())).isEqualTo(model);
        assertThat(objects.job("embedserve-migrate").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(compose.image("migrate"));
        for (StatefulSet database : objects.all(StatefulSet.class)) {
            assertThat(database.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo(compose.image("db"));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyVariableTheAppContainerGetsIsOneTheServiceReads() {
        AppSettings settings = AppSettings.read();
        Set<String> variables = new TreeSet<>();
        for (String name : List.of("dev", "production")) {
            variables.addAll(environmentNames(overlay(name), overlay(name).app()));
        }
        assertThat(settings.reads("MODEL_ID")).isTrue();
        assertThat(settings.reads("EMBEDSERVE_NO_SUCH_SETTING")).as("a name nothing binds").isFalse();
        assertThat(variables).contains("MODEL_ID", "MODEL_REVISION", "HF_HUB_CACHE", "SPRING_DATASOURCE_URL",
                "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "INFERENCE_WORKERS");
        return variables.stream().map(variable -> DynamicTest.dynamicTest(variable, () -> {
            assertThat(settings.reads(variable)).as("the service reads " + variable).isTrue();
        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theEmbeddingCacheIsBoundedAsTheServiceIsByDefault(String name) {
        String bound = env(overlay(name).app(), "EMBEDSERVE_CACHE_MAX_ROWS").getValue();

        assertThat(bound).isEqualTo(AppSettings.recordDefault(io.embedserve.cache.CacheProperties.class, "maxRows"));
        assertThat(Long.parseLong(bound)).isPositive();
    }

    @TestFactory
    Stream<DynamicTest> migrationJobGetsTheVariablesComposeGivesFlyway() {
        Set<String> compose = ComposeFile.read("docker-compose.yml").environment("migrate").keySet();
        Container flyway = overlay("production").job("embedserve-migrate").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        List<String> variables = flyway.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(variables).containsAll(compose);
        return variables.stream().map(variable -> DynamicTest.dynamicTest(variable, () -> {
            assertThat(compose).as("docker-compose.yml's migrate service sets " + variable).contains(variable);
        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void probesAskTheManagementPortForTheServicesHealthGroups(String name) {
        AppSettings settings = AppSettings.read();
        Container app = overlay(name).app();
        Map<String, Integer> ports = new LinkedHashMap<>();
        app.getPorts().forEach(p -> ports.put(p.getName(), p.getContainerPort()));

        assertThat(ports.get("http")).isEqualTo(Integer.parseInt(env(app, "PORT").getValue()))
                .isEqualTo(Integer.parseInt(springDefault("server.port")));
        assertThat(ports.get("management")).isEqualTo(Integer.parseInt(env(app, "MANAGEMENT_PORT").getValue()));
        assertThat(settings.applicationYml("management.endpoint.health.probes.enabled")).isEqualTo(true);
        String base = String.valueOf(Objects.requireNonNullElse(
                settings.applicationYml("management.endpoints.web.base-path"), "/actuator"));
        for (Probe probe : List.of(app.getStartupProbe(), app.getReadinessProbe(), app.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
            String group = probe.getHttpGet().getPath().substring((base + "/health/").length());
            assertThat(probe.getHttpGet().getPath()).startsWith(base + "/health/");
            assertThat(settings.applicationYml("management.endpoint.health.group." + group))
                    .as("health group " + group + " in application.yml").isNotNull();
        }
        assertThat(app.getStartupProbe().getHttpGet().getPath()).endsWith("/readiness");
        assertThat(app.getReadinessProbe().getHttpGet().getPath()).endsWith("/readiness");
        assertThat(app.getLivenessProbe().getHttpGet().getPath()).endsWith("/liveness");
        assertThat(ports.get("management")).isEqualTo(Integer.parseInt(springDefault("management.server.port")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void terminationWaitsForEndpointRemovalAndTheWholeDrain(String name) {
        AppSettings settings = AppSettings.read();
        Deployment deployment = overlay(name).deployment();
        List<String> preStop = overlay(name).app().getLifecycle().getPreStop().getExec().getCommand();
        Duration drain = DurationStyle.detectAndParse(String.valueOf(settings.applicationYml("spring.lifecycle.timeout-per-shutdown-phase")));

        assertThat(settings.applicationYml("server.shutdown")).isEqualTo("graceful");
        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        long sleep = Long.parseLong(preStop.get(1));
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(sleep + drain.toSeconds());
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    }

    /** The default the settings give a Spring property of their own (server.port from PORT's default). */
    static String springDefault(String springProperty) {
        return io.embedserve.config.Settings.all().stream()
                .filter(setting -> setting.springProperty().equals(springProperty))
                .findFirst().orElseThrow().defaultValue();
    }
}
