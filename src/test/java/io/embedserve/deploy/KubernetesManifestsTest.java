package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * The Kubernetes overlays, rendered with {@code kubectl kustomize} and parsed strictly into the
 * typed API model, and their wiring checked against what they must agree with: the compose files
 * (images, model, migrations), the service's own configuration (environment variables, ports,
 * probe paths, drain time), the Dockerfile's user, and the contracts of design.md section 5.
 * What only a cluster can show (scheduling, the CNI enforcing policies, the Prometheus Operator)
 * is in docs/KUBERNETES.md, "What is validated where".
 */
class KubernetesManifestsTest {

    /**
     * Settings the parallel issue 10 adds to the service and to compose (BRIEF contracts); while
     * they are not in the code yet their checks are skipped with this reason instead of failing.
     */
    private static final Map<String, String> PENDING = Map.of(
            "MANAGEMENT_PORT", "issue 10 (management port)",
            "API_KEYS_FILE", "issue 10 (API keys)",
            "FLYWAY_PLACEHOLDERS_APP_DB_USER", "issue 10 (the app's database role)",
            "FLYWAY_PLACEHOLDERS_APP_DB_PASSWORD", "issue 10 (the app's database role)",
            "FLYWAY_FAIL_ON_MISSING_LOCATIONS", "issue 10 (compose hardening)");
    private static final Set<String> DB_SECRET_KEYS = Set.of("owner-username", "owner-password", "app-username", "app-password");
    /** Variables whose value is a secret (a *_FILE variable holds the path of one, not the secret). */
    private static final Pattern SECRET_NAME = Pattern.compile("(?!.*_FILE$).*(PASSWORD|SECRET|TOKEN|API_KEY).*");
    private static final String MODEL_MOUNT = "/data/hf_cache";

    private static final Map<String, KubernetesObjects> RENDERED = new LinkedHashMap<>();

    private static KubernetesObjects overlay(String name) {
        return RENDERED.computeIfAbsent(name, n -> KubernetesObjects.parse(Kustomize.render(n)));
    }

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

    @Test
    void everyPodCopiesTheModelIntoItsOwnEmptyDirAndReadsItReadOnly() {
        KubernetesObjects dev = overlay("dev");
        PodSpec pod = dev.deployment().getSpec().getTemplate().getSpec();

        assertThat(volume(pod, "hf-cache").getEmptyDir()).as("hf-cache is an emptyDir").isNotNull();
        assertThat(dev.modelInit().getArgs()).containsExactly("copy");
        assertThat(mount(dev.modelInit(), "hf-cache").getReadOnly()).isIn(null, false);
        assertThat(mount(dev.app(), "hf-cache").getReadOnly()).isTrue();
        assertModelMountedWhereComposeMountsIt(dev.modelInit(), dev.app(), modelSettings(dev, dev.app()));
    }

    @Test
    void productionFillsOneSharedVolumeOnceAndPodsOnlyReadIt() {
        KubernetesObjects production = overlay("production");
        PodSpec pod = production.deployment().getSpec().getTemplate().getSpec();
        Volume shared = volume(pod, "hf-cache");
        Job modelInit = production.job("embedserve-model-init");
        PodSpec writer = modelInit.getSpec().getTemplate().getSpec();
        Container copy = writer.getContainers().get(0);

        assertThat(shared.getEmptyDir()).isNull();
        assertThat(shared.getPersistentVolumeClaim().getReadOnly()).isTrue();
        String claim = shared.getPersistentVolumeClaim().getClaimName();
        assertThat(production.one(PersistentVolumeClaim.class, claim).getSpec().getAccessModes())
                .as("pods on every node mount it").containsExactly("ReadWriteMany");
        assertThat(volume(writer, "hf-cache").getPersistentVolumeClaim().getClaimName()).isEqualTo(claim);
        assertThat(copy.getImage()).isEqualTo(production.modelInit().getImage());
        assertThat(copy.getArgs()).containsExactly("copy");
        assertThat(mount(copy, "hf-cache").getReadOnly()).isIn(null, false);
        // The pods' init container only checks the revision is complete, and cannot write.
        assertThat(production.modelInit().getArgs()).containsExactly("check");
        assertThat(mount(production.modelInit(), "hf-cache").getReadOnly()).isTrue();
        assertThat(mount(production.app(), "hf-cache").getReadOnly()).isTrue();
        assertThat(modelSettings(production, copy)).isEqualTo(modelSettings(production, production.app()));
        assertModelMountedWhereComposeMountsIt(copy, production.app(), modelSettings(production, copy));
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
                "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "INFERENCE_THREADS");
        return variables.stream().map(variable -> DynamicTest.dynamicTest(variable, () -> {
            assumeContracted(variable, settings.reads(variable));
            assertThat(settings.reads(variable)).as("the service reads " + variable).isTrue();
        }));
    }

    @TestFactory
    Stream<DynamicTest> migrationJobGetsTheVariablesComposeGivesFlyway() {
        Set<String> compose = ComposeFile.read("docker-compose.yml").environment("migrate").keySet();
        Container flyway = overlay("production").job("embedserve-migrate").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        List<String> variables = flyway.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(variables).containsAll(compose);
        return variables.stream().map(variable -> DynamicTest.dynamicTest(variable, () -> {
            assumeContracted(variable, compose.contains(variable));
            assertThat(compose).as("docker-compose.yml's migrate service sets " + variable).contains(variable);
        }));
    }

    @Test
    void migrationJobRunsExactlyTheRepositoryMigrationsAsTheSchemaOwner() throws IOException {
        KubernetesObjects production = overlay("production");
        Job job = production.job("embedserve-migrate");
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container flyway = pod.getContainers().get(0);
        ConfigMap migrations = production.generatedConfigMap("embedserve-migrations");
        Path folder = Shell.PROJECT.resolve("src/main/resources/db/migration");

        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> sql = Files.list(folder)) {
            for (Path file : sql.filter(p -> p.toString().endsWith(".sql")).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        assertThat(migrations.getData()).as("every file of db/migration, listed in src/main/resources/db/kustomization.yaml")
                .isEqualTo(files);
        assertThat(volume(pod, "migrations").getConfigMap().getName()).isEqualTo(migrations.getMetadata().getName());
        assertThat(mount(flyway, "migrations").getMountPath()).isEqualTo("/flyway/sql");
        assertThat(flyway.getArgs()).containsExactly("migrate");
        assertThat(env(flyway, "FLYWAY_LOCATIONS").getValue())
                .isEqualTo(ComposeFile.read("docker-compose.yml").environment("migrate").get("FLYWAY_LOCATIONS"));
        assertThat(secretRef(flyway, "FLYWAY_USER")).isEqualTo("embedserve-db/owner-username");
        assertThat(secretRef(flyway, "FLYWAY_PASSWORD")).isEqualTo("embedserve-db/owner-password");
        assertThat(env(flyway, "FLYWAY_URL").getValueFrom().getConfigMapKeyRef().getName())
                .isEqualTo(env(production.app(), "SPRING_DATASOURCE_URL").getValueFrom().getConfigMapKeyRef().getName());
        // Each ${placeholder} the migrations use is given to Flyway (it fails on a missing one).
        Matcher placeholder = Pattern.compile("\\$\\{(?!flyway:)([A-Za-z0-9_]+)}").matcher(String.join("\n", files.values()));
        while (placeholder.find()) {
            assertThat(flyway.getEnv()).extracting(EnvVar::getName)
                    .contains("FLYWAY_PLACEHOLDERS_" + placeholder.group(1).toUpperCase());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void secretsAreReferencesNeverValues(String name) {
        KubernetesObjects objects = overlay(name);

        assertThat(objects.all()).extracting(HasMetadata::getKind).doesNotContain("Secret");
        for (Container container : allContainers(objects)) {
            for (EnvVar variable : container.getEnv()) {
                if (SECRET_NAME.matcher(variable.getName()).matches() || variable.getName().endsWith("_USERNAME")
                        || variable.getName().endsWith("_USER")) {
                    assertThat(variable.getValue()).as(container.getName() + " " + variable.getName()).isNull();
                    assertThat(variable.getValueFrom().getSecretKeyRef()).as(variable.getName()).isNotNull();
                }
                if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null
                        && variable.getValueFrom().getSecretKeyRef().getName().equals("embedserve-db")) {
                    assertThat(DB_SECRET_KEYS).contains(variable.getValueFrom().getSecretKeyRef().getKey());
                }
            }
        }
        Container app = objects.app();
        assertThat(secretRef(app, "SPRING_DATASOURCE_USERNAME")).isEqualTo("embedserve-db/app-username");
        assertThat(secretRef(app, "SPRING_DATASOURCE_PASSWORD")).isEqualTo("embedserve-db/app-password");
        Path keysFile = Path.of(env(app, "API_KEYS_FILE").getValue());
        assertThat(keysFile).isEqualTo(Path.of("/etc/embedserve/api-keys/keys"));
        VolumeMount keys = mount(app, "api-keys");
        assertThat(keys.getReadOnly()).isTrue();
        assertThat(keys.getSubPath()).as("a subPath mount would never see a rotated key").isNull();
        assertThat(Path.of(keys.getMountPath()).resolve(keysFile.getFileName())).isEqualTo(keysFile);
        Volume secret = volume(objects.deployment().getSpec().getTemplate().getSpec(), "api-keys");
        assertThat(secret.getSecret().getSecretName()).isEqualTo("embedserve-api-keys");
        assertThat(secret.getSecret().getItems()).singleElement()
                .satisfies(item -> assertThat(item.getKey()).isEqualTo("keys"))
                .satisfies(item -> assertThat(item.getPath()).isEqualTo(keysFile.getFileName().toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void appPinsWholeCoresAsItsInferenceThreadsAndComposesMemoryLimit(String name) {
        KubernetesObjects objects = overlay(name);
        Container app = objects.app();
        ResourceRequirements resources = app.getResources();
        BigDecimal cpu = resources.getLimits().get("cpu").getNumericalAmount();

        assertThat(resources.getRequests().get("cpu").getNumericalAmount()).isEqualByComparingTo(cpu);
        assertThat(cpu.stripTrailingZeros().scale()).as("whole cores").isLessThanOrEqualTo(0);
        assertThat(cpu).isGreaterThanOrEqualTo(BigDecimal.ONE);
        var threads = env(app, "INFERENCE_THREADS").getValueFrom().getResourceFieldRef();
        assertThat(threads.getResource()).isEqualTo("limits.cpu");
        assertThat(threads.getContainerName()).isEqualTo(app.getName());
        assertThat(threads.getDivisor().getNumericalAmount()).isEqualByComparingTo(BigDecimal.ONE);
        long composeLimit = DataSize.parse(ComposeFile.withDefaults(String.valueOf(
                ComposeFile.read("docker-compose.yml").service("app").get("mem_limit"))).toUpperCase() + "B").toBytes();
        assertThat(Quantity.getAmountInBytes(resources.getLimits().get("memory")).longValueExact()).isEqualTo(composeLimit);
        if (name.equals("production")) {
            for (String resource : List.of("cpu", "memory")) {
                assertThat(resources.getRequests().get(resource)).as("Guaranteed QoS: " + resource)
                        .isEqualTo(resources.getLimits().get(resource));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyPodRunsAsNonRootWithNothingToEscalate(String name) throws IOException {
        KubernetesObjects objects = overlay(name);
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(Files.readString(Shell.PROJECT.resolve("Dockerfile")));
        assertThat(user.find()).isTrue();
        PodSecurityContext app = objects.deployment().getSpec().getTemplate().getSpec().getSecurityContext();

        assertThat(app.getRunAsUser()).isEqualTo(Long.parseLong(user.group(1)));
        assertThat(app.getFsGroup()).isEqualTo(Long.parseLong(user.group(2)));
        for (PodSpec pod : podSpecs(objects)) {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getEnableServiceLinks()).as("service links would set EMBEDSERVE_* variables").isFalse();
        }
        for (Container container : allContainers(objects)) {
            SecurityContext context = container.getSecurityContext();
            assertThat(context.getReadOnlyRootFilesystem()).as(container.getName()).isTrue();
            assertThat(context.getAllowPrivilegeEscalation()).as(container.getName()).isFalse();
            assertThat(context.getCapabilities().getDrop()).as(container.getName()).containsExactly("ALL");
            assertThat(container.getResources().getLimits()).as(container.getName()).containsKeys("cpu", "memory");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void probesAskTheManagementPortForTheServicesHealthGroups(String name) {
        AppSettings settings = AppSettings.read();
        Container app = overlay(name).app();
        Map<String, Integer> ports = new LinkedHashMap<>();
        app.getPorts().forEach(p -> ports.put(p.getName(), p.getContainerPort()));

        assertThat(ports.get("http")).isEqualTo(Integer.parseInt(env(app, "PORT").getValue()))
                .isEqualTo(Integer.parseInt(AppSettings.placeholderDefault(settings.applicationYml("server.port"))));
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
        Object managementPort = settings.applicationYml("management.server.port");
        assumeContracted("MANAGEMENT_PORT", managementPort != null);
        assertThat(ports.get("management")).isEqualTo(Integer.parseInt(AppSettings.placeholderDefault(managementPort)));
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
    void queueDepthComponentReplacesTheCpuMetricWithThePerPodQueueDepth(@org.junit.jupiter.api.io.TempDir Path temp)
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

    // --- helpers

    private static void assumeContracted(String variable, boolean present) {
        if (!present && PENDING.containsKey(variable)) {
            assumeTrue(false, variable + " is contracted but not in the code yet: " + PENDING.get(variable));
        }
    }

    private static void assertModelMountedWhereComposeMountsIt(Container writer, Container reader, Map<String, String> model) {
        assertThat(mount(writer, "hf-cache").getMountPath()).isEqualTo(MODEL_MOUNT);
        assertThat(mount(reader, "hf-cache").getMountPath()).isEqualTo(MODEL_MOUNT);
        assertThat(model.get("HF_HUB_CACHE")).startsWith(MODEL_MOUNT + "/");
    }

    /** MODEL_ID, MODEL_REVISION, HF_HUB_CACHE as the container sees them (through envFrom ConfigMaps). */
    private static Map<String, String> modelSettings(KubernetesObjects objects, Container container) {
        Map<String, String> values = new LinkedHashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            values.putAll(objects.configMap(source.getConfigMapRef().getName()).getData());
        }
        values.keySet().retainAll(Set.of("MODEL_ID", "MODEL_REVISION", "HF_HUB_CACHE"));
        return values;
    }

    private static Set<String> environmentNames(KubernetesObjects objects, Container container) {
        Set<String> names = new TreeSet<>();
        container.getEnv().forEach(v -> names.add(v.getName()));
        for (EnvFromSource source : container.getEnvFrom()) {
            assertThat(source.getConfigMapRef()).as("envFrom only from ConfigMaps").isNotNull();
            names.addAll(objects.configMap(source.getConfigMapRef().getName()).getData().keySet());
        }
        return names;
    }

    private static List<PodSpec> podSpecs(KubernetesObjects objects) {
        List<PodSpec> pods = new ArrayList<>();
        objects.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        objects.all(StatefulSet.class).forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));
        objects.all(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
        return pods;
    }

    private static List<Container> allContainers(KubernetesObjects objects) {
        List<Container> containers = new ArrayList<>();
        for (PodSpec pod : podSpecs(objects)) {
            containers.addAll(pod.getInitContainers());
            containers.addAll(pod.getContainers());
        }
        return containers;
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    private static String secretRef(Container container, String name) {
        var ref = env(container, name).getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    private static VolumeMount mount(Container container, String volume) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " does not mount " + volume));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
