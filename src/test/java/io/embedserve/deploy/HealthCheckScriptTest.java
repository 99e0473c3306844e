package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RequiredTool;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.embedserve.testsupport.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/health-check.sh with only docker faked: `compose exec db` runs the real pg_isready and
 * psql against a real, migrated Postgres; `compose run model-init check` runs the real
 * copy-model.sh on a real hf_cache folder; the app is a local HTTP server probed with real curl.
 */
class HealthCheckScriptTest {

    static final Path MIGRATIONS = Shell.PROJECT.resolve("src/main/resources/db/migration");

    /** The newest V<n>__*.sql the repository holds: what the migrated test database is at. */
    static int newestMigration() throws IOException {
        try (var files = Files.list(MIGRATIONS)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
    }

    private static final Path SCRIPT = Shell.PROJECT.resolve("scripts/health-check.sh");
    private static final List<String> PARTS = List.of("db", "migrate", "model", "liveness", "readiness", "health");

    private static EmbeddedPostgres postgres;

    @TempDir
    Path tmp;

    private FakeDocker docker;
    private HttpServer app;
    private volatile int readinessStatus = 200;
    private volatile int livenessStatus = 200;
    private Path envFile;

    @BeforeAll
    static void migratedDatabase() throws IOException {
        RequiredTool.require(FakeDocker.onPath("psql") && FakeDocker.onPath("pg_isready"),
                "the PostgreSQL client (psql, pg_isready) is not installed (apt-get install postgresql-client)");
        RequiredTool.require(FakeDocker.onPath("curl"), "curl is not installed (apt-get install curl)");
        postgres = EmbeddedPostgres.start();
        Migrations.migrate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void healthyStack() throws IOException {
        envFile = Files.writeString(tmp.resolve("stack.env"), "POSTGRES_PASSWORD=not-read-by-the-script\n");
        docker = new FakeDocker(tmp)
                .with("PROJECT_DIR", Shell.PROJECT.toString())
                .with("ENV_FILE", envFile.toString())
                .with("POSTGRES_USER", "postgres")
                .with("POSTGRES_DB", "postgres")
                .with("PGHOST", "127.0.0.1")
                .with("PGPORT", String.valueOf(postgres.getPort()))
                .with("PGCONNECT_TIMEOUT", "3");
        publishModel();
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/actuator/health/readiness", exchange -> respond(exchange, readinessStatus,
                readinessStatus == 200 ? "{\"status\":\"UP\"}" : "{\"status\":\"OUT_OF_SERVICE\"}"));
        app.createContext("/actuator/health/liveness", exchange -> respond(exchange, livenessStatus,
                livenessStatus == 200 ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}"));
        app.createContext("/health", exchange -> respond(exchange, readinessStatus, ""));
        app.start();
        // The fake app answers the API and actuator on one port; `compose exec app` runs curl here,
        // where MANAGEMENT_PORT (the container's variable) is that port.
        docker.with("FAKE_APP_PORT", String.valueOf(app.getAddress().getPort()))
                .with("MANAGEMENT_PORT", String.valueOf(app.getAddress().getPort()));
    }

    @AfterEach
    void stopApp() {
        app.stop(0);
    }

    @Test
    void aHealthyStackGetsOneOkLinePerPartAndExitsZero() throws IOException {
        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(lines(result)).hasSize(6).allSatisfy(line -> assertThat(line).contains(" OK "));
        assertThat(line(result, "migrate")).contains("schema at version " + newestMigration());
        assertThat(line(result, "model")).contains(HfCacheFixture.MODEL_ID + "@" + HfCacheFixture.COMMIT);
        assertThat(line(result, "readiness")).contains("/actuator/health/readiness is UP");
        assertThat(line(result, "liveness")).contains("/actuator/health/liveness is UP");
        assertThat(docker.calls()).filteredOn(call -> call.startsWith("compose") && !call.equals("compose version"))
                .isNotEmpty().allSatisfy(call -> assertThat(call).startsWith("compose --env-file " + envFile));
        assertThat(docker.calls()).noneMatch(call -> call.contains("build"));
        assertThat(docker.calls()).anySatisfy(call -> assertThat(call).contains("run --rm --no-deps --pull never -T model-init check"));
    }

    @Test
    void aModelInitImageThatIsNotThereIsReportedAndNeverBuiltOrPulled() {
        docker.with("FAKE_NO_IMAGE", "1");

        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(line(result, "model")).contains("DOWN").contains("is not on this host").contains("setup.sh --build");
        assertThat(docker.calls()).noneMatch(call -> call.contains(" run ") || call.contains("build") || call.contains("pull"));
    }

    @Test
    void aDeadInferenceWorkerShowsAsLivenessDown() {
        livenessStatus = 503;

        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(line(result, "liveness")).contains("DOWN").contains("answers 503").contains("DOWN");
    }

    @Test
    void anEnvFileThatWasNamedButIsMissingStopsBeforeAnyCheck() {
        docker.with("ENV_FILE", tmp.resolve("no-such.env").toString());

        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("no-such.env does not exist");
        assertThat(docker.calls()).isEmpty();
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsDownAndSoAreItsMigrations() throws IOException {
        docker.with("PGPORT", String.valueOf(freePort()));

        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(lines(result)).hasSize(6);
        assertThat(line(result, "db")).contains("DOWN").contains("Postgres is not ready");
        assertThat(line(result, "migrate")).contains("DOWN");
        assertThat(line(result, "model")).contains("OK");
    }

    @Test
    void aFakePgIsReadyThatReportsNoResponseIsShownVerbatim() throws IOException {
        docker.install("pg_isready", "#!/bin/sh\necho 'db:5432 - no response'\nexit 2\n");

        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(line(result, "db")).contains("DOWN").contains("db:5432 - no response");
    }

    @Test
    void aMigrationInTheRepositoryButNotInTheDatabaseIsPending() throws IOException {
        Path project = tmp.resolve("project");
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        try (var existing = Files.list(Shell.PROJECT.resolve("src/main/resources/db/migration"))) {
            for (Path file : existing.toList()) {
                Files.copy(file, migrations.resolve(file.getFileName()));
            }
        }
        Files.writeString(migrations.resolve("V999__more.sql"), "SELECT 1;");
        docker.with("PROJECT_DIR", project.toString());

        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(line(result, "migrate")).contains("DOWN")
                .contains("schema at version " + newestMigration() + ", the repository has V999");
    }

    @Test
    void aModelMissingFromTheVolumeIsDown() throws IOException {
        docker.with("HF_HUB_CACHE", Files.createDirectories(tmp.resolve("empty-volume/hub")).toString());

        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(line(result, "model")).contains("DOWN").contains("is not complete");
    }

    @Test
    void anAppStillLoadingItsModelIsNotReady() {
        readinessStatus = 503;

        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(line(result, "readiness")).contains("DOWN").contains("answers 503").contains("OUT_OF_SERVICE");
        assertThat(line(result, "health")).contains("DOWN").contains("answers 503");
    }

    @Test
    void anAppWithoutAPublishedPortIsDown() {
        docker.env.remove("FAKE_APP_PORT");

        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(line(result, "health")).contains("DOWN").contains("publishes no port");
        assertThat(line(result, "readiness")).as("asked inside the container").contains("OK");
        assertThat(lines(result)).hasSize(6);
    }

    @Test
    void withoutDockerComposeItSaysSoInsteadOfReportingEveryPartDown() {
        docker.with("FAKE_NO_COMPOSE", "1");

        Shell.Result result = healthCheck();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("does not work: install Docker and its Compose plugin");
        assertThat(result.stdout()).isEmpty();
    }

    private Shell.Result healthCheck() {
        return Shell.run(SCRIPT, docker.env);
    }

    /** A model copied into a volume folder by the real copy script, as model-init would. */
    private void publishModel() throws IOException {
        Path source = tmp.resolve("model-cache");
        HfCacheFixture.write(source.resolve("hub"));
        Path copyScript = Shell.PROJECT.resolve("docker/model-init/copy-model.sh");
        Map<String, String> env = new HashMap<>(Map.of(
                "MODEL_SOURCE", source.toString(),
                "HF_HUB_CACHE", tmp.resolve("volume/hub").toString(),
                "MODEL_ID", HfCacheFixture.MODEL_ID,
                "MODEL_REVISION", "main"));
        assertThat(Shell.run(copyScript, env, "manifest").exitCode()).isZero();
        assertThat(Shell.run(copyScript, env, "copy").exitCode()).isZero();
        docker.with("FAKE_MODEL_INIT", copyScript.toString())
                .with("MODEL_SOURCE", source.toString())
                .with("HF_HUB_CACHE", tmp.resolve("volume/hub").toString());
    }

    private static List<String> lines(Shell.Result result) {
        return Arrays.stream(result.stdout().split("\n")).filter(line -> !line.isBlank()).toList();
    }

    private static String line(Shell.Result result, String part) {
        assertThat(PARTS).contains(part);
        return lines(result).stream().filter(line -> line.startsWith(part + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + part + " in\n" + result));
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
