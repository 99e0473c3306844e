package io.embedserve.cache;

import io.embedserve.metrics.EmbedServeMetrics;
import static io.embedserve.cache.CacheTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.EmbedOptions;
import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.ModelHolder;
import io.embedserve.testsupport.Migrations;
import io.embedserve.testsupport.TinyEncoderModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The application with SPRING_DATASOURCE_URL set: the cache sits in the embedding path, shows in
 * /actuator/health as "embeddingCache", and when its database dies the requests still succeed,
 * the entry turns DEGRADED, and the overall status and readiness stay UP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"embedserve.inference.exit-on-load-failure=false", "server.address=127.0.0.1",
            "embedserve.cache.retry-backoff=100ms",
            "embedserve.cache.max-retry-backoff=400ms", "embedserve.cache.lookup-timeout=1s"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheWiringTest {

    static final EmbeddedPostgres postgres = CachePostgres.start(null, 0);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path model = TinyEncoderModel.xlmRoberta(5).writeTo(Files.createTempDirectory("cache-wiring-model"));
        CachePostgres.migrate(postgres.getPostgresDatabase());
        registry.add("embedserve.model.path", model::toString);
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> Migrations.APP_USER);
        registry.add("spring.datasource.password", () -> Migrations.APP_PASSWORD);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    /** Actuator is on the management port only. */
    @LocalManagementPort
    int managementPort;
    @Autowired
    EmbeddingService service;
    @Autowired
    ModelHolder holder;
    @Autowired
    MeterRegistry registry;
    @Autowired
    List<DataSource> dataSources;

    @Test
    @Order(1)
    void theCacheAnswersRepeatedInputsAndShowsInHealthAndMetrics() {
        await("the model", Duration.ofSeconds(60), holder::isReady);
        assertThat(dataSources).hasSize(1);
        List<EmbedInput> inputs = List.of(EmbedInput.text("cache me"));
        // The first requests may pass by the cache while the MODEL_PATH files are being hashed. The
        // API binds each request's scope; called directly, the test binds the open API's.
        await("a cache hit", Duration.ofSeconds(20), () -> {
            try (CacheScope.Binding ignored = CacheScope.bind(CacheScope.OPEN)) {
                service.embed(inputs, EmbedOptions.defaults());
            }
            return registry.get(EmbedServeMetrics.CACHE_HITS).counter().count() > 0;
        });

        JsonNode health = new HttpProbe(managementPort).get("/actuator/health").json();
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("embeddingCache").path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").has("db")).as("Boot's own db check is off").isFalse();
        String metrics = new HttpProbe(managementPort).get("/actuator/prometheus").body();
        assertThat(metrics).contains("embedserve_cache_hits_total", "embedserve_cache_misses_total",
                "embedserve_cache_errors_total", "embedserve_cache_writes_dropped_total", "embedserve_cache_degraded");
    }

    @Test
    @Order(2)
    void aDeadDatabaseDegradesTheCacheButNeitherRequestsNorReadiness() throws Exception {
        await("the model", Duration.ofSeconds(60), holder::isReady);
        postgres.close();

        try (CacheScope.Binding ignored = CacheScope.bind(CacheScope.OPEN)) {
            for (int i = 0; i < 3; i++) {
                assertThat(service.embed(List.of(EmbedInput.text("still answered " + i)), EmbedOptions.defaults())
                        .vectors()).hasSize(1);
            }
        }

        HttpProbe http = new HttpProbe(managementPort);
        await("DEGRADED in health", Duration.ofSeconds(10), () -> http.get("/actuator/health").json()
                .path("components").path("embeddingCache").path("status").asString().equals("DEGRADED"));
        HttpProbe.Answer health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
        assertThat(health.json().path("components").path("embeddingCache").path("details").path("degraded")
                .asBoolean()).isTrue();
        HttpProbe.Answer readiness = http.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
        assertThat(registry.get(EmbedServeMetrics.CACHE_DEGRADED).gauge().value()).isEqualTo(1);
    }
}
