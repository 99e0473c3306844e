package io.embedserve.deploy;

import static io.embedserve.deploy.KubernetesObjects.env;
import static io.embedserve.deploy.KubernetesObjects.modelSettings;
import static io.embedserve.deploy.KubernetesObjects.mount;
import static io.embedserve.deploy.KubernetesObjects.overlay;
import static io.embedserve.deploy.KubernetesObjects.secretRef;
import static io.embedserve.deploy.KubernetesObjects.volume;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the model and the schema reach the cluster: model-init writes the volume the service reads
 * read-only (an emptyDir per pod, or in production one shared volume with a single writer), at
 * compose's path; the migration Job runs exactly the repository's migrations as the schema owner.
 */
class KubernetesModelAndMigrationsTest {

    private static final String MODEL_MOUNT = "/data/hf_cache";

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

    /**
     * model-init copies the reranker the image carries only when it is told which one the app loads,
     * and refuses one it does not carry: both read it from the ConfigMap the app reads, with compose's
     * defaults (none).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theRerankerSettingsReachModelInitAndTheAppFromTheOneConfigMap(String name) {
        KubernetesObjects objects = overlay(name);
        Map<String, String> composeApp = ComposeFile.read(Kustomize.COMPOSE_FILE_OF.get(name)).environment("app");
        List<Container> readers = new ArrayList<>(List.of(objects.modelInit(), objects.app()));
        if (name.equals("production")) {
            readers.add(objects.job("embedserve-model-init").getSpec().getTemplate().getSpec().getContainers().get(0));
        }
        for (Container container : readers) {
            Map<String, String> settings = new LinkedHashMap<>();
            container.getEnvFrom().forEach(source ->
                    settings.putAll(objects.configMap(source.getConfigMapRef().getName()).getData()));
            for (String key : List.of("RERANK_MODEL_ID", "RERANK_MODEL_REVISION")) {
                assertThat(settings).as(container.getName() + " in " + name).containsKey(key);
                assertThat(settings.get(key)).as(container.getName() + " " + key)
                        .isEqualTo(ComposeFile.withDefaults(composeApp.get(key)));
            }
        }
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

    private static void assertModelMountedWhereComposeMountsIt(Container writer, Container reader, Map<String, String> model) {
        assertThat(mount(writer, "hf-cache").getMountPath()).isEqualTo(MODEL_MOUNT);
        assertThat(mount(reader, "hf-cache").getMountPath()).isEqualTo(MODEL_MOUNT);
        assertThat(model.get("HF_HUB_CACHE")).startsWith(MODEL_MOUNT + "/");
    }
}
