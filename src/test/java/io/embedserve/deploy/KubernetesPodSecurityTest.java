package io.embedserve.deploy;

import static io.embedserve.deploy.KubernetesObjects.allContainers;
import static io.embedserve.deploy.KubernetesObjects.env;
import static io.embedserve.deploy.KubernetesObjects.mount;
import static io.embedserve.deploy.KubernetesObjects.overlay;
import static io.embedserve.deploy.KubernetesObjects.podSpecs;
import static io.embedserve.deploy.KubernetesObjects.secretRef;
import static io.embedserve.deploy.KubernetesObjects.volume;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

/**
 * Every pod of both overlays: secrets only by reference (the contracted Secret names and keys),
 * non-root with nothing to escalate, and the service pinned to whole cores that are also its
 * inference threads, with compose's memory limit.
 */
class KubernetesPodSecurityTest {

    private static final Set<String> DB_SECRET_KEYS = Set.of("owner-username", "owner-password", "app-username", "app-password");
    /** Variables whose value is a secret (a *_FILE variable holds the path of one, not the secret). */
    private static final Pattern SECRET_NAME = Pattern.compile("(?!.*_FILE$).*(PASSWORD|SECRET|TOKEN|API_KEY).*");

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
    void appPinsWholeCoresAsItsInferenceWorkersAndComposesMemoryLimit(String name) {
        KubernetesObjects objects = overlay(name);
        Container app = objects.app();
        ResourceRequirements resources = app.getResources();
        BigDecimal cpu = resources.getLimits().get("cpu").getNumericalAmount();

        assertThat(resources.getRequests().get("cpu").getNumericalAmount()).isEqualByComparingTo(cpu);
        assertThat(cpu.stripTrailingZeros().scale()).as("whole cores").isLessThanOrEqualTo(0);
        assertThat(cpu).isGreaterThanOrEqualTo(BigDecimal.ONE);
        var threads = env(app, "INFERENCE_WORKERS").getValueFrom().getResourceFieldRef();
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
}
