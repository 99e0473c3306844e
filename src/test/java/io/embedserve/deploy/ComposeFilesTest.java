package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The wiring of the three compose files, read the way compose reads them:
 * YAML anchors and merge keys resolved, ${VAR} references left as written.
 */
class ComposeFilesTest {

    /** ${VAR...} that compose substitutes; $${VAR} is left to the container's shell. */
    private static final Pattern VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Z0-9_]+)(?::?[-?][^}]*)?}");
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+):?\\?[^}]*}");
    private static final Pattern SECRET_KEY = Pattern.compile(".*(PASSWORD|SECRET|TOKEN).*");

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void appStartsOnlyAfterAHealthyDatabaseAndBothOneShotsSucceeded(String file) {
        Map<String, Object> services = services(file);

        assertThat(services).containsKeys("db", "migrate", "model-init", "app");
        assertThat(dependsOn(services, "app")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "db", "service_healthy",
                "migrate", "service_completed_successfully",
                "model-init", "service_completed_successfully"));
        assertThat(dependsOn(services, "migrate")).containsExactlyEntriesOf(Map.of("db", "service_healthy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void oneShotServicesAreNeverRestarted(String file) {
        Map<String, Object> services = services(file);

        // Quoted on purpose: a bare `no` is YAML 1.1's boolean false, which compose rejects.
        assertThat(service(services, "migrate").get("restart")).isEqualTo("no");
        assertThat(service(services, "model-init").get("restart")).isEqualTo("no");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void appReadsTheHfCacheVolumeReadOnlyWhereModelInitWroteIt(String file) {
        Map<String, Object> services = services(file);

        Map<String, Object> writer = hfCacheMount(services, "model-init");
        Map<String, Object> reader = hfCacheMount(services, "app");

        assertThat(reader.get("target")).isEqualTo(writer.get("target"));
        assertThat(reader.get("read_only")).isEqualTo(true);
        assertThat(writer.get("read_only")).isIn(null, false);
        String hubCache = environment(services, "app").get("HF_HUB_CACHE");
        assertThat(hubCache).startsWith(writer.get("target") + "/");
        assertThat(environment(services, "model-init").get("HF_HUB_CACHE")).isEqualTo(hubCache);
        assertThat(topLevel(file, "volumes")).containsKey("hf_cache");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void modelInitIsBuiltForAndRunsWithTheModelTheAppIsToldToLoad(String file) {
        Map<String, Object> services = services(file);
        Map<String, String> app = environment(services, "app");
        Map<String, String> modelInit = environment(services, "model-init");
        Map<String, String> buildArgs = strings(map(map(service(services, "model-init").get("build")).get("args")));

        for (String key : List.of("MODEL_ID", "MODEL_REVISION")) {
            assertThat(app.get(key)).as(key).isNotBlank();
            assertThat(modelInit.get(key)).as("model-init " + key).isEqualTo(app.get(key));
            assertThat(buildArgs.get(key)).as("model-init build arg " + key).isEqualTo(app.get(key));
        }
        assertThat(map(service(services, "model-init").get("build")).get("dockerfile")).isEqualTo("Dockerfile.model");
        assertThat(map(service(services, "app").get("build")).get("dockerfile")).isEqualTo("Dockerfile");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void modelInitIsBuiltForAndRunsWithTheRerankerTheAppIsToldToLoad(String file) {
        Map<String, Object> services = services(file);
        Map<String, String> app = environment(services, "app");
        Map<String, String> modelInit = environment(services, "model-init");
        Map<String, String> buildArgs = strings(map(map(service(services, "model-init").get("build")).get("args")));

        for (String key : List.of("RERANK_MODEL_ID", "RERANK_MODEL_REVISION")) {
            assertThat(app).as("app").containsKey(key);
            assertThat(modelInit.get(key)).as("model-init " + key).isEqualTo(app.get(key));
            assertThat(buildArgs.get(key)).as("model-init build arg " + key).isEqualTo(app.get(key));
        }
        // No reranker unless one is asked for.
        assertThat(ComposeFile.withDefaults(app.get("RERANK_MODEL_ID"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void databaseAndAppHaveHealthChecksAndTheAppWaitsForTheModelToLoad(String file) {
        Map<String, Object> services = services(file);

        assertThat(String.valueOf(healthcheck(services, "db").get("test"))).contains("pg_isready");
        Map<String, Object> app = healthcheck(services, "app");
        // Liveness as well as readiness, both on the management port inside the container.
        assertThat(String.valueOf(app.get("test")))
                .contains("http://127.0.0.1:$${MANAGEMENT_PORT:-9000}/actuator/health/liveness")
                .contains("http://127.0.0.1:$${MANAGEMENT_PORT:-9000}/actuator/health/readiness")
                .doesNotContain(":8080/actuator");
        assertThat(duration(app.get("start_period"))).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void migrateRunsFlywayOnTheRepositoryMigrations(String file) throws IOException {
        Map<String, Object> migrate = service(services(file), "migrate");

        assertThat(String.valueOf(migrate.get("image"))).startsWith("flyway/flyway:");
        assertThat(migrate.get("command")).isEqualTo("migrate");
        assertThat(list(migrate.get("volumes"))).contains((Object) "./src/main/resources/db/migration:/flyway/sql:ro,z");
        assertThat(strings(map(migrate.get("environment"))))
                .containsEntry("FLYWAY_LOCATIONS", "filesystem:/flyway/sql")
                .containsEntry("FLYWAY_FAIL_ON_MISSING_LOCATIONS", "true");
        try (Stream<Path> sql = Files.list(Shell.PROJECT.resolve("src/main/resources/db/migration"))) {
            assertThat(sql.map(p -> p.getFileName().toString()))
                    .contains("V1__embedding_cache.sql", "V2__embedserve_app_role.sql", "afterMigrate__embedserve_app_password.sql");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void secretsAreOnlyEverReferencesToVariables(String file) {
        Map<String, Object> services = services(file);

        for (String name : services.keySet()) {
            environment(services, name).forEach((key, value) -> {
                if (SECRET_KEY.matcher(key).matches()) {
                    assertThat(value).as(name + " " + key).matches("\\$\\{[A-Z0-9_]+:\\?[^}]+}");
                }
            });
        }
        assertThat(environment(services, "app")).containsKeys(
                "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void theAppConnectsAsTheLeastPrivilegedRoleThatMigrateCreatesNeverAsTheOwner(String file) {
        Map<String, Object> services = services(file);
        Map<String, String> app = environment(services, "app");
        Map<String, String> migrate = environment(services, "migrate");
        Map<String, String> db = environment(services, "db");

        assertThat(migrate.get("FLYWAY_USER")).isEqualTo(db.get("POSTGRES_USER"));
        assertThat(migrate.get("FLYWAY_PASSWORD")).isEqualTo(db.get("POSTGRES_PASSWORD"));
        assertThat(app.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(migrate.get("FLYWAY_PLACEHOLDERS_APP_DB_USER"))
                .isNotEqualTo(db.get("POSTGRES_USER"));
        assertThat(app.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(migrate.get("FLYWAY_PLACEHOLDERS_APP_DB_PASSWORD"))
                .isNotEqualTo(db.get("POSTGRES_PASSWORD"));
        assertThat(app).doesNotContainValue(db.get("POSTGRES_PASSWORD"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void everyServiceDropsCapabilitiesForbidsPrivilegeGainAndRotatesItsLogs(String file) {
        Map<String, Object> services = services(file);

        services.forEach((name, definition) -> {
            Map<String, Object> service = map(definition);
            assertThat(list(service.get("cap_drop"))).as(name + " cap_drop").containsExactly("ALL");
            assertThat(list(service.get("security_opt"))).as(name + " security_opt").contains("no-new-privileges:true");
            Map<String, Object> logging = map(service.get("logging"));
            assertThat(logging.get("driver")).as(name + " log driver").isEqualTo("json-file");
            assertThat(map(logging.get("options"))).as(name + " log rotation").containsKeys("max-size", "max-file");
        });
        // Postgres' entrypoint prepares its data directory as root, then drops to its own user.
        assertThat(list(service(services, "db").get("cap_add")))
                .containsExactlyInAnyOrder("CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID");
        assertThat(service(services, "app").get("cap_add")).isNull();
    }

    @Test
    void eachComposeFileIsAProjectOfItsOwnSoNoneReplacesAnothersVolumes() {
        List<Object> names = List.of("docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml").stream()
                .map(file -> load(read(file)).get("name")).toList();

        assertThat(names).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(names.get(0)).isEqualTo("embedserve");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void theAppStopsGracefullyWithMoreTimeThanItsOwnDrainAndRunsOneInferenceWorkerPerCpu(String file) throws IOException {
        Map<String, Object> app = service(services(file), "app");
        Map<String, Object> settings = load(Files.readString(Shell.PROJECT.resolve("src/main/resources/application.yml")));
        Duration drain = duration(map(map(settings.get("spring")).get("lifecycle")).get("timeout-per-shutdown-phase"));

        assertThat(duration(app.get("stop_grace_period"))).isGreaterThan(drain);
        assertThat(String.valueOf(app.get("cpus"))).isEqualTo(environment(services(file), "app").get("INFERENCE_WORKERS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void noComposeFilePinsTheAppToOneArchitecture(String file) {
        Map<String, Object> app = service(services(file), "app");

        assertThat(app).as("the image builds for the host's architecture, amd64 or arm64").doesNotContainKey("platform");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void bindMountsAreRelabelledForSeLinuxAndTheManagementPortIsNeverPublished(String file) {
        Map<String, Object> services = services(file);
        services.forEach((name, definition) -> {
            Object volumes = map(definition).get("volumes");
            for (Object volume : volumes == null ? List.of() : list(volumes)) {
                if (volume instanceof String text && text.startsWith(".")) {
                    assertThat(text).as(name + " bind mount").matches(".*:(ro,)?z$");
                }
            }
            Object ports = map(definition).get("ports");
            for (Object port : ports == null ? List.of() : list(ports)) {
                assertThat(String.valueOf(port)).as(name + " publishes").doesNotEndWith(":9000");
            }
        });
    }

    @Test
    void productionRestartsTheAppAndPublishesOnlyItsApiOnLoopbackByDefault() {
        Map<String, Object> app = service(services("docker-compose.yml"), "app");

        assertThat(app.get("restart")).isEqualTo("unless-stopped");
        assertThat(list(app.get("ports"))).containsExactly((Object) "${APP_BIND:-127.0.0.1}:${APP_PORT:-8080}:8080");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml"})
    void theEmbeddingCacheIsBoundedAsTheServiceIsByDefault(String file) {
        String bound = ComposeFile.withDefaults(environment(services(file), "app").get("EMBEDSERVE_CACHE_MAX_ROWS"));

        assertThat(bound).isEqualTo(AppSettings.recordDefault(io.embedserve.cache.CacheProperties.class, "maxRows"));
        assertThat(Long.parseLong(bound)).isPositive();
    }

    @Test
    void theDeploymentGuideSaysTheImageBuildsForBothArchitectures() throws IOException {
        assertThat(Files.readString(Shell.PROJECT.resolve("docs/DEPLOYMENT.md")))
                .contains("--platform linux/amd64,linux/arm64").doesNotContain("`linux/amd64` only");
    }

    @Test
    void developmentOffersPrometheusUnderTheMonitoringProfileScrapingTheApp() throws IOException {
        Map<String, Object> prometheus = service(services("docker-compose.dev.yml"), "prometheus");

        assertThat(list(prometheus.get("profiles"))).containsExactly((Object) "monitoring");
        assertThat(list(prometheus.get("volumes")))
                .contains((Object) "./docker/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro,z");
        String config = Files.readString(Shell.PROJECT.resolve("docker/prometheus/prometheus.yml"));
        Map<String, Object> scrape = map(list(load(config).get("scrape_configs")).get(0));
        assertThat(scrape.get("metrics_path")).isEqualTo("/actuator/prometheus");
        // The management port (MANAGEMENT_PORT): actuator is not on the public port.
        assertThat(String.valueOf(scrape.get("static_configs"))).contains("app:9000").doesNotContain("app:8080");
    }

    @Test
    void theDefaultModelRevisionIsTheOneDockerfileModelPins() throws IOException {
        String dockerfile = Files.readString(Shell.PROJECT.resolve("Dockerfile.model"));
        Matcher pinned = Pattern.compile("ARG MODEL_REVISION=([0-9a-f]{40})").matcher(dockerfile);
        assertThat(pinned.find()).isTrue();

        for (String file : List.of("docker-compose.yml", "docker-compose.dev.yml")) {
            assertThat(environment(services(file), "app").get("MODEL_REVISION"))
                    .isEqualTo("${MODEL_REVISION:-" + pinned.group(1) + "}");
        }
        assertThat(Files.readString(Shell.PROJECT.resolve(".env.example")))
                .contains("MODEL_REVISION=" + pinned.group(1));
    }

    @Test
    void envExampleDefinesEveryRequiredVariableWithAPlaceholderSecret() throws IOException {
        Map<String, String> example = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Shell.PROJECT.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                example.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        Set<String> required = new TreeSet<>();
        for (String file : List.of("docker-compose.yml", "docker-compose.dev.yml", "docker-compose.test.yml")) {
            Matcher matcher = REQUIRED_VARIABLE.matcher(read(file));
            while (matcher.find()) {
                required.add(matcher.group(1));
            }
        }

        assertThat(required).contains("POSTGRES_PASSWORD", "APP_DB_PASSWORD");
        assertThat(example).containsKeys(required.toArray(String[]::new));
        example.forEach((key, value) -> {
            if (SECRET_KEY.matcher(key).matches()) {
                assertThat(value).as(key).isEqualTo("change-me");
            }
        });
        Matcher used = VARIABLE.matcher(read("docker-compose.yml") + read("docker-compose.dev.yml"));
        while (used.find()) {
            assertThat(example).as("documented in .env.example").containsKey(used.group(1));
        }
    }

    // --- reading compose files

    private static String read(String file) {
        try {
            return Files.readString(Shell.PROJECT.resolve(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> load(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

    private static Map<String, Object> topLevel(String file, String key) {
        return map(load(read(file)).get(key));
    }

    private static Map<String, Object> services(String file) {
        return topLevel(file, "services");
    }

    private static Map<String, Object> service(Map<String, Object> services, String name) {
        assertThat(services).containsKey(name);
        return map(services.get(name));
    }

    /** depends_on in its long form: service name to condition. */
    private static Map<String, String> dependsOn(Map<String, Object> services, String name) {
        Map<String, String> conditions = new LinkedHashMap<>();
        map(service(services, name).get("depends_on"))
                .forEach((dependency, spec) -> conditions.put(dependency, String.valueOf(map(spec).get("condition"))));
        return conditions;
    }

    /** environment as a map, whether written as a mapping or as a list of KEY=VALUE. */
    private static Map<String, String> environment(Map<String, Object> services, String name) {
        Object environment = service(services, name).get("environment");
        if (environment == null) {
            return Map.of();
        }
        if (environment instanceof List<?> entries) {
            Map<String, String> parsed = new LinkedHashMap<>();
            for (Object entry : entries) {
                String text = String.valueOf(entry);
                parsed.put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
            }
            return parsed;
        }
        return strings(map(environment));
    }

    /** The hf_cache volume mount of a service, long syntax or short "hf_cache:/path[:ro]". */
    private static Map<String, Object> hfCacheMount(Map<String, Object> services, String name) {
        for (Object volume : list(service(services, name).get("volumes"))) {
            if (volume instanceof Map<?, ?> mount && "hf_cache".equals(mount.get("source"))) {
                return map(mount);
            }
            if (volume instanceof String text && text.startsWith("hf_cache:")) {
                String[] parts = text.split(":");
                Map<String, Object> mount = new LinkedHashMap<>();
                mount.put("source", parts[0]);
                mount.put("target", parts[1]);
                mount.put("read_only", parts.length > 2 && parts[2].contains("ro"));
                return mount;
            }
        }
        throw new AssertionError(name + " does not mount the hf_cache volume");
    }

    private static Map<String, Object> healthcheck(Map<String, Object> services, String name) {
        Object healthcheck = service(services, name).get("healthcheck");
        assertThat(healthcheck).as(name + " healthcheck").isNotNull();
        return map(healthcheck);
    }

    /** Compose durations: 90s, 3m, 1m30s. */
    private static Duration duration(Object value) {
        Matcher matcher = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?").matcher(String.valueOf(value));
        assertThat(matcher.matches()).as("duration " + value).isTrue();
        long seconds = 0;
        for (int group = 1; group <= 3; group++) {
            if (matcher.group(group) != null) {
                seconds += Long.parseLong(matcher.group(group)) * (group == 1 ? 3600 : group == 2 ? 60 : 1);
            }
        }
        return Duration.ofSeconds(seconds);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static Map<String, String> strings(Map<String, Object> map) {
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }
}
