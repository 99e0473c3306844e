package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * End to end: docker-compose.test.yml built and started for real (db, migrate, model-init, app),
 * then the service answers over HTTP. Runs only where a Docker engine and the compose plugin
 * exist; elsewhere JUnit reports it skipped with the reason (disabledWithoutDocker, assumptions).
 * The first run builds both images, which downloads Maven dependencies and the test model.
 */
@Tag("e2e")
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackTest {

    private static final int APP_PORT = 8080;
    /** Not published by compose; Testcontainers reaches it on the compose network through its ambassador. */
    private static final int MANAGEMENT_PORT = 9000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ComposeContainer stack;
    private static String baseUrl;
    private static String managementUrl;

    @BeforeAll
    static void startStack() {
        assumeTrue(composePluginWorks(), "docker compose (the Compose plugin) is not installed next to the engine");
        stack = new ComposeContainer(new File(Shell.PROJECT.toFile(), "docker-compose.test.yml"))
                .withEnv("POSTGRES_PASSWORD", "e2e-" + UUID.randomUUID())
                .withEnv("APP_DB_PASSWORD", "e2e-app-" + UUID.randomUUID())
                .withBuild(true)
                .withExposedService("app", APP_PORT)
                .withExposedService("app", MANAGEMENT_PORT, Wait.forHttp("/actuator/health/readiness")
                        .forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(20)));
        stack.start();
        baseUrl = "http://" + stack.getServiceHost("app", APP_PORT) + ":" + stack.getServicePort("app", APP_PORT);
        managementUrl = "http://" + stack.getServiceHost("app", MANAGEMENT_PORT) + ":"
                + stack.getServicePort("app", MANAGEMENT_PORT);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void teiHealthAnswers200OnceTheModelIsLoaded() throws Exception {
        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void embedsTextWithTheModelModelInitCopiedIntoTheVolume() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/embed"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": \"The volume was filled by model-init.\"}"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // all-MiniLM-L6-v2 has 384 dimensions: one vector of 384 numbers.
        assertThat(response.body().split(",")).hasSize(384);
    }

    @Test
    void prometheusMetricsAreExposed() throws Exception {
        HttpResponse<String> response = get(managementUrl, "/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
        assertThat(get("/actuator/prometheus").statusCode()).as("not on the public port").isEqualTo(404);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(baseUrl, path);
    }

    private static HttpResponse<String> get(String base, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean composePluginWorks() {
        try {
            Process process = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
