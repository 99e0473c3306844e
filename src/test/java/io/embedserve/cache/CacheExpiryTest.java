package io.embedserve.cache;

import io.embedserve.metrics.EmbedServeMetrics;
import static io.embedserve.cache.CacheTesting.MODEL;
import static io.embedserve.cache.CacheTesting.await;
import static io.embedserve.cache.CacheTesting.settings;
import static io.embedserve.cache.CacheTesting.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.TokenizedInput;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Expiry by age and by row budget, and the batched last_used_at refresh that feeds it. */
class CacheExpiryTest {

    static HikariDataSource pool;

    final MeterRegistry registry = new SimpleMeterRegistry();
    EmbeddingCache cache;
    PooledEncoder encoder;

    @BeforeAll
    static void database() {
        pool = CachePostgres.migratedPool();
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    void start(Duration maxAge, long maxRows) {
        CachePostgres.execute(pool, "DELETE FROM embedding_cache"); // the app role may not TRUNCATE
        cache = new EmbeddingCache(pool, settings(Duration.ofSeconds(2), 1024, maxAge, maxRows), registry);
        encoder = cache.wrap(new CountingEncoder(), () -> MODEL, () -> CacheScope.OPEN);
    }

    @AfterEach
    void stop() {
        cache.close();
    }

    List<TokenizedInput> cacheTexts(int count) {
        List<TokenizedInput> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inputs.add(text("text " + i, 0, i, 2));
        }
        encoder.encode(inputs);
        await(count + " rows", Duration.ofSeconds(10), () -> rows() == count);
        return inputs;
    }

    static long rows() {
        return CachePostgres.count(pool, "SELECT count(*) FROM embedding_cache");
    }

    static void lastUsed(TokenizedInput input, String ago) {
        try (Connection c = pool.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE embedding_cache SET last_used_at = now() - ?::interval WHERE text_sha256 = ?")) {
            update.setString(1, ago);
            update.setBytes(2, CacheKey.of(input).sha256());
            assertThat(update.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static OffsetDateTime lastUsed(TokenizedInput input) {
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT last_used_at FROM embedding_cache WHERE text_sha256 = ?")) {
            select.setBytes(1, CacheKey.of(input).sha256());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getObject(1, OffsetDateTime.class) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deletesRowsUnusedForLongerThanMaxAge() throws SQLException {
        start(Duration.ofHours(1), 0);
        List<TokenizedInput> inputs = cacheTexts(3);
        lastUsed(inputs.get(0), "2 hours");
        lastUsed(inputs.get(2), "61 minutes");

        assertThat(cache.expiry().run()).isEqualTo(2);

        assertThat(lastUsed(inputs.get(0))).isNull();
        assertThat(lastUsed(inputs.get(1))).isNotNull();
        assertThat(lastUsed(inputs.get(2))).isNull();
        assertThat(registry.get(EmbedServeMetrics.CACHE_EXPIRED).counter().count()).isEqualTo(2);
    }

    @Test
    void trimsToMaxRowsLeastRecentlyUsedFirst() throws SQLException {
        start(Duration.ZERO, 2);
        List<TokenizedInput> inputs = cacheTexts(5);
        for (int i = 0; i < inputs.size(); i++) {
            lastUsed(inputs.get(i), (10 - i) + " minutes");
        }

        assertThat(cache.expiry().run()).isEqualTo(3);

        assertThat(rows()).isEqualTo(2);
        assertThat(lastUsed(inputs.get(3))).isNotNull();
        assertThat(lastUsed(inputs.get(4))).isNotNull();
    }

    @Test
    void aHitKeepsTheOldestRowWhenTheBudgetEvictsTheLeastRecentlyUsed() throws SQLException {
        start(Duration.ofHours(1), 2);
        List<TokenizedInput> inputs = cacheTexts(4);
        for (int i = 0; i < inputs.size(); i++) {
            lastUsed(inputs.get(i), (40 - 10 * i) + " minutes"); // input 0 is the oldest
        }

        encoder.encode(List.of(inputs.get(0)));
        await("the hit's refresh", Duration.ofSeconds(10),
                () -> lastUsed(inputs.get(0)).isAfter(OffsetDateTime.now().minusMinutes(1)));
        assertThat(cache.expiry().run()).isEqualTo(2);

        assertThat(lastUsed(inputs.get(0))).as("used last, though written first").isNotNull();
        assertThat(lastUsed(inputs.get(1))).isNull();
        assertThat(lastUsed(inputs.get(2))).isNull();
        assertThat(lastUsed(inputs.get(3))).isNotNull();
    }

    @Test
    void aHitRefreshesAStaleLastUseInTheBackgroundAndLeavesAFreshOneAlone() {
        start(Duration.ofHours(1), 0);
        List<TokenizedInput> inputs = cacheTexts(2);
        lastUsed(inputs.get(0), "30 minutes");
        OffsetDateTime fresh = lastUsed(inputs.get(1));

        encoder.encode(inputs);

        await("the stale row's refresh", Duration.ofSeconds(10),
                () -> lastUsed(inputs.get(0)).isAfter(OffsetDateTime.now().minusMinutes(1)));
        assertThat(lastUsed(inputs.get(1))).as("younger than max-age / 10: not rewritten").isEqualTo(fresh);
        assertThat(registry.get(EmbedServeMetrics.CACHE_HITS).counter().count()).isEqualTo(2);
    }
}
