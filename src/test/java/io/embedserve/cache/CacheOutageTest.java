package io.embedserve.cache;

import io.embedserve.metrics.EmbedServeMetrics;
import static io.embedserve.cache.CacheTesting.MODEL;
import static io.embedserve.cache.CacheTesting.assertSameBits;
import static io.embedserve.cache.CacheTesting.await;
import static io.embedserve.cache.CacheTesting.settings;
import static io.embedserve.cache.CacheTesting.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.PooledVectors;
import io.embedserve.inference.TokenizedInput;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;

/** Postgres goes away mid-run and comes back on the same port with the same data directory. */
class CacheOutageTest {

    @TempDir
    Path temp;

    @Test
    void everyRequestIsAnsweredWhilePostgresIsDownAndTheCacheResumesWhenItReturns() throws IOException {
        Path data = temp.resolve("pgdata");
        EmbeddedPostgres postgres = CachePostgres.start(data, 0);
        int port = postgres.getPort();
        CacheProperties settings = settings(Duration.ofMillis(300), 1024, Duration.ofDays(30), 0);
        MeterRegistry registry = new SimpleMeterRegistry();
        CountingEncoder model = new CountingEncoder();
        try (HikariDataSource pool = CachePostgres.pool(postgres.getJdbcUrl("postgres", "postgres"), settings)) {
            CachePostgres.migrate(pool);
            try (EmbeddingCache cache = new EmbeddingCache(pool, settings, registry)) {
                PooledEncoder encoder = cache.wrap(model, () -> MODEL, () -> CacheScope.OPEN);
                List<TokenizedInput> before = List.of(text("before the outage", 0, 1, 2));
                encoder.encode(before);
                await("the first row", Duration.ofSeconds(10),
                        () -> CachePostgres.count(pool, "SELECT count(*) FROM embedding_cache") == 1);

                postgres.close();

                List<TokenizedInput> during = List.of(text("before the outage", 0, 1, 2), text("during", 0, 2, 2));
                for (int i = 0; i < 10; i++) {
                    assertAnswered(encoder, during);
                }
                assertThat(cache.state().degraded()).isTrue();
                assertThat(new EmbeddingCacheHealthIndicator(cache).health().getStatus()).isEqualTo(new Status("DEGRADED"));
                assertThat(registry.get(EmbedServeMetrics.CACHE_ERRORS).tag("operation", "lookup").counter().count())
                        .as("only the first request tried the dead database").isEqualTo(1);
                assertThat(model.computed).hasValue(1 + 2 * 10);

                postgres = CachePostgres.start(data, port);

                await("recovery", Duration.ofSeconds(15), () -> !cache.state().degraded());
                await("the vector computed during the outage", Duration.ofSeconds(10),
                        () -> CachePostgres.count(pool, "SELECT count(*) FROM embedding_cache") == 2);
                int computed = model.computed.get();
                assertAnswered(encoder, during);
                assertThat(model.computed).as("both hit after the restart").hasValue(computed);
                assertThat(new EmbeddingCacheHealthIndicator(cache).health().getStatus()).isEqualTo(Status.UP);
            }
        } finally {
            postgres.close();
        }
    }

    private static void assertAnswered(PooledEncoder encoder, List<TokenizedInput> inputs) {
        PooledVectors vectors = encoder.encode(inputs);
        for (int i = 0; i < inputs.size(); i++) {
            assertSameBits(vectors.vectors()[i], CountingEncoder.vectorOf(inputs.get(i).ids()));
        }
    }
}
