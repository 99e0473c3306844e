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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * A slow database, made slow for real: another session holds a lock on the table. ACCESS
 * EXCLUSIVE blocks lookups; EXCLUSIVE lets lookups through and blocks only inserts.
 */
class CacheDegradationTest {

    final CountingEncoder model = new CountingEncoder();
    final MeterRegistry registry = new SimpleMeterRegistry();
    String url;
    HikariDataSource pool;
    EmbeddingCache cache;
    PooledEncoder encoder;

    void start(CacheProperties settings) {
        url = CachePostgres.newDatabase();
        pool = CachePostgres.pool(url, settings);
        CachePostgres.migrate(pool);
        cache = new EmbeddingCache(pool, settings, registry);
        encoder = cache.wrap(model, () -> MODEL, () -> CacheScope.OPEN);
    }

    @AfterEach
    void stop() {
        cache.close();
        pool.close();
    }

    /** Another session that takes a table lock and keeps it until closed. */
    Connection lockTable(String mode) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        connection.setAutoCommit(false);
        connection.createStatement().execute("LOCK TABLE embedding_cache IN " + mode + " MODE");
        return connection;
    }

    long rows() {
        return CachePostgres.count(pool, "SELECT count(*) FROM embedding_cache");
    }

    double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    static long millisToEncode(PooledEncoder encoder, List<TokenizedInput> inputs) {
        long started = System.nanoTime();
        PooledVectors vectors = encoder.encode(inputs);
        for (int i = 0; i < inputs.size(); i++) {
            assertSameBits(vectors.vectors()[i], CountingEncoder.vectorOf(inputs.get(i).ids()));
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void aLookupThatIsTooSlowIsAnsweredWithoutTheCacheWhichDegradesAndThenRecovers() throws SQLException {
        start(settings(Duration.ofMillis(200), 1024, Duration.ofDays(30), 0));
        List<TokenizedInput> cached = List.of(text("cached", 0, 1, 2));
        encoder.encode(cached);
        await("the first row", Duration.ofSeconds(10), () -> rows() == 1);

        try (Connection lock = lockTable("ACCESS EXCLUSIVE")) {
            long slow = millisToEncode(encoder, List.of(text("cached", 0, 1, 2), text("new", 0, 2, 2)));

            assertThat(slow).as("bounded by the lookup timeout, not by the lock").isLessThan(1500);
            assertThat(model.computed).hasValue(3);
            assertThat(counter(EmbedServeMetrics.CACHE_ERRORS, "operation", "lookup")).isEqualTo(1);
            assertThat(registry.get(EmbedServeMetrics.CACHE_DEGRADED).gauge().value()).isEqualTo(1);
            Health health = new EmbeddingCacheHealthIndicator(cache).health();
            assertThat(health.getStatus()).isEqualTo(new Status("DEGRADED"));
            assertThat(health.getDetails()).containsEntry("degraded", true);
            assertThat(health.getDetails().get("lastError").toString()).contains("lookup");

            for (int i = 0; i < 5; i++) {
                assertThat(millisToEncode(encoder, cached)).as("degraded: no database round trip").isLessThan(100);
            }
            assertThat(counter(EmbedServeMetrics.CACHE_ERRORS, "operation", "lookup")).as("no further lookups").isEqualTo(1);
        }

        await("recovery", Duration.ofSeconds(10), () -> !cache.state().degraded());
        assertThat(new EmbeddingCacheHealthIndicator(cache).health().getStatus()).isEqualTo(Status.UP);
        await("the vector computed while degraded to be written", Duration.ofSeconds(10), () -> rows() == 2);
        int before = model.computed.get();
        millisToEncode(encoder, List.of(text("cached", 0, 1, 2), text("new", 0, 2, 2)));
        assertThat(model.computed).hasValue(before);
    }

    @Test
    void blockedInsertsDoNotSlowRequests() throws Exception {
        start(settings());
        encoder.encode(List.of(text("warm-up", 0, 99, 2)));
        await("the warm-up row", Duration.ofSeconds(10), () -> rows() == 1);

        long longest = 0;
        try (Connection lock = lockTable("EXCLUSIVE")) {
            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                longest = Math.max(longest, millisToEncode(encoder,
                        List.of(text("a" + i, 0, 10 + i, 2), text("b" + i, 0, 50 + i, 2))));
            }
            long total = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(500);
            assertThat(rows()).as("inserts are blocked by the lock").isEqualTo(1);
            assertThat(total).as("20 requests while every insert waits").isLessThan(2000);
        }

        assertThat(longest).isLessThan(500);
        await("the writes, once the lock is gone", Duration.ofSeconds(10), () -> rows() == 41);
        assertThat(cache.state().degraded()).isFalse();
        assertThat(counter(EmbedServeMetrics.CACHE_WRITES)).isEqualTo(41);
    }

    @Test
    void aFullWriteQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        start(settings(Duration.ofSeconds(2), 4, Duration.ofDays(30), 0));
        encoder.encode(List.of(text("warm-up", 0, 99, 2)));
        await("the warm-up row", Duration.ofSeconds(10), () -> rows() == 1);

        try (Connection lock = lockTable("EXCLUSIVE")) {
            for (int i = 0; i < 30; i++) {
                assertThat(millisToEncode(encoder, List.of(text("t" + i, 0, 10 + i, 2)))).isLessThan(500);
            }
            await("drops", Duration.ofSeconds(5), () -> counter(EmbedServeMetrics.CACHE_WRITES_DROPPED) > 0);
        }

        await("the queue to drain", Duration.ofSeconds(10), () -> cache.queuedWrites() == 0);
        await("the last batch", Duration.ofSeconds(10),
                () -> rows() - 1 + counter(EmbedServeMetrics.CACHE_WRITES_DROPPED) == 30);
        assertThat(counter(EmbedServeMetrics.CACHE_WRITES_DROPPED)).isGreaterThanOrEqualTo(30 - 4 - 4);
    }
}
