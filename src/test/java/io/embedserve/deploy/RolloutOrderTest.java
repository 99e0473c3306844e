package io.embedserve.deploy;

import static io.embedserve.deploy.KubernetesObjects.overlay;
import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * What the manifests expect of the running service during a rollout: the probe paths they name
 * answer 200 on its management port, and a pod that starts before the migration Job has run
 * serves without the cache, then turns the cache on by itself once the Job's migration (with the
 * Job's placeholders) has created the schema: the reason Job and Deployment need no ordering.
 */
class RolloutOrderTest extends LiveServiceTest {

    private static final String PREFIX = "FLYWAY_PLACEHOLDERS_";

    @Test
    void everyProbePathOfBothOverlaysAnswersOnTheManagementPort() {
        TreeSet<String> paths = new TreeSet<>();
        for (String name : List.of("dev", "production")) {
            Container app = overlay(name).app();
            for (Probe probe : List.of(app.getStartupProbe(), app.getReadinessProbe(), app.getLivenessProbe())) {
                assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
                paths.add(probe.getHttpGet().getPath());
            }
        }

        assertThat(paths).hasSize(2);
        for (String path : paths) {
            assertThat(management.get(path).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void servesWithoutTheCacheUntilTheMigrationJobHasRunThenUsesIt() {
        assertEmbeds(api.post("/embed", "{\"inputs\": \"before the migration\"}"));
        awaitCacheStatus("DEGRADED");
        assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);

        Flyway.configure()
                .dataSource(database().getJdbcUrl("postgres", "postgres"), "postgres", null)
                .locations("filesystem:" + Shell.PROJECT.resolve("src/main/resources/db/migration"))
                .placeholders(jobPlaceholders())
                .load().migrate();

        awaitCacheStatus("UP");
        assertEmbeds(api.post("/embed", "{\"inputs\": \"after the migration\"}"));
    }

    /** One unit vector of the tiny model's width: answered in full, whatever the cache's state. */
    static void assertEmbeds(io.embedserve.testsupport.HttpJson.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        float[] vector = response.vector(0);
        assertThat(vector).hasSize(io.embedserve.testsupport.TinyEncoderModel.HIDDEN);
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    /** The placeholders the migration Job gives Flyway (FLYWAY_PLACEHOLDERS_NAME → name), with test values. */
    private static Map<String, String> jobPlaceholders() {
        Map<String, String> placeholders = new LinkedHashMap<>();
        Container flyway = overlay("production").job("embedserve-migrate").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        for (EnvVar variable : flyway.getEnv()) {
            if (variable.getName().startsWith(PREFIX)) {
                String name = variable.getName().substring(PREFIX.length()).toLowerCase();
                placeholders.put(name, name.contains("password") ? "rollout-test-secret" : "embedserve_rollout_test");
            }
        }
        return placeholders;
    }

    private void awaitCacheStatus(String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            HttpJson.Response health = management.get("/actuator/health");
            seen = health.json().path("components").path("embeddingCache").path("status").asString();
            if (status.equals(seen)) {
                return;
            }
            api.post("/embed", "{\"inputs\": \"a lookup " + System.nanoTime() + "\"}");
            sleep();
        }
        throw new AssertionError("embeddingCache stayed " + seen + ", expected " + status);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
