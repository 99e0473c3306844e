package io.embedserve.cache;

import static io.embedserve.cache.CacheTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.metrics.EmbedServeMetrics;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.Migrations;
import io.embedserve.testsupport.TinyEncoderModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two API keys and one Postgres cache, over HTTP: a text one key embedded is a hit for that key
 * again, and a miss for the other key (computed, stored apart), so neither the answer time nor the
 * timing headers tell one key what the other embedded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"embedserve.inference.exit-on-load-failure=false", "embedserve.cache.lookup-timeout=1s"})
class CacheScopeOverHttpTest {

    static final String ALICE = "alice-key-0c6d";
    static final String BOB = "bob-key-91fa";
    static final String TEXT = "{\"inputs\": \"only alice has asked for this text\"}";
    static final EmbeddedPostgres postgres = CachePostgres.start(null, 0);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path model = TinyEncoderModel.xlmRoberta(5).writeTo(Files.createTempDirectory("cache-scope-model"));
        Path keys = Files.writeString(Files.createTempDirectory("cache-scope-keys").resolve("keys"), ALICE + "\n" + BOB + "\n");
        CachePostgres.migrate(postgres.getPostgresDatabase());
        registry.add("embedserve.model.path", model::toString);
        registry.add("embedserve.api-keys.file", keys::toString);
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> Migrations.APP_USER);
        registry.add("spring.datasource.password", () -> Migrations.APP_PASSWORD);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry registry;

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> embed(String key) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/embed"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(TEXT)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    double hits() {
        return registry.get(EmbedServeMetrics.CACHE_HITS).counter().count();
    }

    long rows() {
        return CachePostgres.count(postgres.getPostgresDatabase(), "SELECT count(*) FROM embedding_cache");
    }

    @Test
    void aTextOneKeyEmbeddedIsAHitForThatKeyAndAMissForTheOther() {
        new HttpJson(port).awaitReady(Duration.ofSeconds(60));
        // The first requests pass by the cache while the MODEL_PATH files are being hashed.
        await("alice's row", Duration.ofSeconds(30), () -> embed(ALICE).statusCode() == 200 && rows() == 1);
        await("alice's hit", Duration.ofSeconds(10), () -> {
            embed(ALICE);
            return hits() > 0;
        });
        double hitsBefore = hits();

        HttpResponse<String> bobs = embed(BOB);

        assertThat(bobs.statusCode()).isEqualTo(200);
        assertThat(hits()).as("bob is not answered from alice's row").isEqualTo(hitsBefore);
        await("bob's own row", Duration.ofSeconds(10), () -> rows() == 2);
        assertThat(CachePostgres.count(postgres.getPostgresDatabase(),
                "SELECT count(DISTINCT scope) FROM embedding_cache WHERE octet_length(scope) = 32")).isEqualTo(2);
        HttpResponse<String> alices = embed(ALICE);
        assertThat(hits()).isEqualTo(hitsBefore + 1);
        assertThat(new HttpJson.Response(200, bobs.body(), bobs.headers()).vector(0))
                .containsExactly(new HttpJson.Response(200, alices.body(), alices.headers()).vector(0));
    }
}
