package io.embedserve.cache;

import io.embedserve.metrics.EmbedServeMetrics;
import static io.embedserve.cache.CacheTesting.MODEL;
import static io.embedserve.cache.CacheTesting.assertSameBits;
import static io.embedserve.cache.CacheTesting.await;
import static io.embedserve.cache.CacheTesting.ids;
import static io.embedserve.cache.CacheTesting.settings;
import static io.embedserve.cache.CacheTesting.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.PooledVectors;
import io.embedserve.inference.TokenizedInput;
import io.embedserve.inference.TruncationDirection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache stage on a real Postgres, with a counting stand-in for the batch queue. */
class CachingEncoderTest {

    static HikariDataSource pool;
    static final AtomicInteger lookupQueries = new AtomicInteger();

    final CountingEncoder model = new CountingEncoder();
    MeterRegistry registry;
    EmbeddingCache cache;

    @BeforeAll
    static void database() {
        pool = CachePostgres.migratedPool();
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @BeforeEach
    void emptyCache() {
        CachePostgres.execute(pool, "DELETE FROM embedding_cache"); // the app role may not TRUNCATE
        registry = new SimpleMeterRegistry();
        cache = new EmbeddingCache(countingLookups(pool), settings(), registry);
    }

    @AfterEach
    void closeCache() {
        cache.close();
    }

    PooledEncoder encoder(KeyContext context) {
        return cache.wrap(model, () -> context, () -> CacheScope.OPEN);
    }

    void awaitRows(long rows) {
        await(rows + " cached rows", Duration.ofSeconds(10),
                () -> CachePostgres.count(pool, "SELECT count(*) FROM embedding_cache") >= rows);
    }

    double counter(String name) {
        return registry.get(name).counter().count();
    }

    @Test
    void aHitIsBitForBitTheVectorAFreshComputationGives() {
        PooledEncoder encoder = encoder(MODEL);
        List<TokenizedInput> inputs = List.of(text("special floats", 7, 1, 2), text("plain", 0, 5, 2), ids(0, 9, 2));
        encoder.encode(inputs);
        awaitRows(3);

        PooledVectors cached = encoder.encode(inputs);

        assertThat(model.computed).hasValue(3);
        for (int i = 0; i < inputs.size(); i++) {
            assertSameBits(cached.vectors()[i], CountingEncoder.vectorOf(inputs.get(i).ids()));
        }
        assertThat(Float.isNaN(cached.vectors()[0][2])).isTrue();
        assertThat(counter(EmbedServeMetrics.CACHE_HITS)).isEqualTo(3);
        assertThat(counter(EmbedServeMetrics.CACHE_MISSES)).isEqualTo(3);
    }

    @Test
    void aStoredVectorOfAnotherLengthIsAMissAndIsCounted() {
        PooledEncoder encoder = encoder(MODEL);
        List<TokenizedInput> inputs = List.of(text("short row", 0, 11, 2), text("good row", 0, 12, 2));
        encoder.encode(inputs);
        awaitRows(2);
        // A row written by something else under this model's key: 8 floats where the model has 16.
        // The app role may only touch last_used_at, so the owner does the damage.
        CachePostgres.execute(CachePostgres.owner(pool), "UPDATE embedding_cache SET dims = 8, vector = substring(vector from 1 for 32)"
                + " WHERE text_sha256 = sha256(convert_to('short row', 'UTF8'))");
        model.computed.set(0);

        PooledVectors vectors = encoder.encode(inputs);

        assertThat(model.computed).as("the short row is computed again").hasValue(1);
        assertSameBits(vectors.vectors()[0], CountingEncoder.vectorOf(inputs.get(0).ids()));
        assertSameBits(vectors.vectors()[1], CountingEncoder.vectorOf(inputs.get(1).ids()));
        assertThat(counter(EmbedServeMetrics.CACHE_INVALID)).isEqualTo(1);
        assertThat(counter(EmbedServeMetrics.CACHE_HITS)).isEqualTo(1);
        assertThat(counter(EmbedServeMetrics.CACHE_MISSES)).isEqualTo(2 + 1);
    }

    @Test
    void hitsAndMissesComeBackInInputOrderAndEachDistinctInputIsComputedOnce() {
        PooledEncoder encoder = encoder(MODEL);
        encoder.encode(List.of(text("b", 0, 2, 2), text("d", 0, 4, 2)));
        awaitRows(2);
        model.computed.set(0);
        List<TokenizedInput> inputs = List.of(text("a", 0, 1, 2), text("b", 0, 2, 2), text("c", 0, 3, 2),
                text("d", 0, 4, 2), text("a", 0, 1, 2));

        PooledVectors vectors = encoder.encode(inputs);

        assertThat(model.computed).as("a and c, a only once").hasValue(2);
        for (int i = 0; i < inputs.size(); i++) {
            assertSameBits(vectors.vectors()[i], CountingEncoder.vectorOf(inputs.get(i).ids()));
        }
        assertThat(vectors.vectors()[4]).isNotSameAs(vectors.vectors()[0]);
        assertThat(counter(EmbedServeMetrics.CACHE_HITS)).isEqualTo(2);
        assertThat(counter(EmbedServeMetrics.CACHE_MISSES)).isEqualTo(2 + 3);
    }

    @Test
    void anotherRevisionPoolingDtypeTruncationOrDirectionNeverHits() {
        encoder(MODEL).encode(List.of(text("same text", 0, 1, 2)));
        awaitRows(1);
        model.computed.set(0);

        encoder(new KeyContext(MODEL.modelId(), "b".repeat(40), MODEL.pooling(), MODEL.dtype(), MODEL.dimensions())).encode(List.of(text("same text", 0, 1, 2)));
        encoder(new KeyContext(MODEL.modelId(), MODEL.revision(), "cls", MODEL.dtype(), MODEL.dimensions())).encode(List.of(text("same text", 0, 1, 2)));
        encoder(new KeyContext(MODEL.modelId(), MODEL.revision(), MODEL.pooling(), "bfloat16", MODEL.dimensions())).encode(List.of(text("same text", 0, 1, 2)));
        encoder(new KeyContext("org/other", MODEL.revision(), MODEL.pooling(), MODEL.dtype(), MODEL.dimensions())).encode(List.of(text("same text", 0, 1, 2)));
        encoder(MODEL).encode(List.of(new TokenizedInput("same text", new long[] {0, 1, 2}, TruncationDirection.RIGHT, 64)));
        encoder(MODEL).encode(List.of(new TokenizedInput("same text", new long[] {0, 1, 2}, TruncationDirection.LEFT, 128)));

        assertThat(model.computed).hasValue(6);
        awaitRows(7);
        encoder(MODEL).encode(List.of(text("same text", 0, 1, 2)));
        assertThat(model.computed).as("the original entry still hits").hasValue(6);
    }

    @Test
    void aTextAndATokenIdListWithTheSameBytesNeverShareAnEntry() {
        // "aaaaaaaa" in UTF-8 is the same 8 bytes as the int64 0x6161616161616161 little-endian,
        // so both hash to the same SHA-256: only the key's kind tells them apart.
        TokenizedInput asText = text("aaaaaaaa", 0, 11, 2);
        TokenizedInput asIds = ids(0x6161616161616161L);
        assertThat(CacheKey.of(asText).sha256()).isEqualTo(CacheKey.of(asIds).sha256());
        PooledEncoder encoder = encoder(MODEL);
        encoder.encode(List.of(asText));
        awaitRows(1);

        PooledVectors vectors = encoder.encode(List.of(asIds));

        assertThat(model.computed).hasValue(2);
        assertSameBits(vectors.vectors()[0], CountingEncoder.vectorOf(asIds.ids()));
        awaitRows(2);
        assertSameBits(encoder.encode(List.of(asIds)).vectors()[0], CountingEncoder.vectorOf(asIds.ids()));
        assertSameBits(encoder.encode(List.of(asText)).vectors()[0], CountingEncoder.vectorOf(asText.ids()));
        assertThat(model.computed).hasValue(2);
    }

    @Test
    void looksUpEveryInputOfARequestInOneQuery() {
        List<TokenizedInput> inputs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            inputs.add(i % 2 == 0 ? text("text " + i, 0, i, 2)
                    : new TokenizedInput(null, new long[] {0, i, 2}, TruncationDirection.LEFT, 64));
        }
        lookupQueries.set(0);

        encoder(MODEL).encode(inputs);

        assertThat(lookupQueries).hasValue(1);
    }

    @Test
    void metersExistAtZeroBeforeAnyRequest() {
        for (String name : List.of(EmbedServeMetrics.CACHE_HITS, EmbedServeMetrics.CACHE_MISSES, EmbedServeMetrics.CACHE_WRITES,
                EmbedServeMetrics.CACHE_WRITES_DROPPED, EmbedServeMetrics.CACHE_EXPIRED)) {
            assertThat(counter(name)).as(name).isZero();
        }
        assertThat(registry.get(EmbedServeMetrics.CACHE_ERRORS).counters()).hasSize(CacheMetrics.Operation.values().length)
                .allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(registry.get(EmbedServeMetrics.CACHE_DEGRADED).gauge().value()).isZero();
        assertThat(registry.get(EmbedServeMetrics.CACHE_WRITE_QUEUE).gauge().value()).isZero();
    }

    @Test
    void oneApiKeyNeverHitsWhatAnotherKeyEmbedded() {
        CacheScope alice = CacheScope.ofApiKey(sha256("alice's key"));
        CacheScope bob = CacheScope.ofApiKey(sha256("bob's key"));
        List<TokenizedInput> secret = List.of(text("alice's private text", 0, 21, 2));
        cache.wrap(model, () -> MODEL, () -> alice).encode(secret);
        awaitRows(1);

        cache.wrap(model, () -> MODEL, () -> bob).encode(secret);
        cache.wrap(model, () -> MODEL, () -> CacheScope.OPEN).encode(secret);

        assertThat(model.computed).as("computed for alice, again for bob and for the open scope").hasValue(3);
        assertThat(counter(EmbedServeMetrics.CACHE_HITS)).isZero();
        awaitRows(3);
        PooledVectors again = cache.wrap(model, () -> MODEL, () -> alice).encode(secret);
        assertThat(model.computed).as("alice hits her own row").hasValue(3);
        assertThat(counter(EmbedServeMetrics.CACHE_HITS)).isEqualTo(1);
        assertSameBits(again.vectors()[0], CountingEncoder.vectorOf(secret.get(0).ids()));
        assertThat(CachePostgres.count(pool, "SELECT count(DISTINCT scope) FROM embedding_cache")).isEqualTo(3);
    }

    @Test
    void aRequestWithoutAScopeIsComputedWithoutTheCache() {
        PooledEncoder encoder = cache.wrap(model, () -> MODEL, () -> null);
        encoder.encode(List.of(text("unscoped", 0, 3, 2)));
        encoder.encode(List.of(text("unscoped", 0, 3, 2)));

        assertThat(model.computed).hasValue(2);
        assertThat(lookupQueries).hasValue(0);
        assertThat(counter(EmbedServeMetrics.CACHE_MISSES)).isEqualTo(2);
        assertThat(counter(EmbedServeMetrics.CACHE_WRITES)).isZero();
    }

    static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bypassesTheCacheWhileTheModelsKeyIsNotKnownYet() {
        PooledEncoder encoder = cache.wrap(model, () -> null, () -> CacheScope.OPEN);
        encoder.encode(List.of(text("x", 0, 1, 2)));
        encoder.encode(List.of(text("x", 0, 1, 2)));

        assertThat(model.computed).hasValue(2);
        assertThat(lookupQueries).hasValue(0);
        assertThat(counter(EmbedServeMetrics.CACHE_MISSES)).isEqualTo(2);
    }

    /** Counts the lookup statements the cache prepares, whichever thread prepares them. */
    static DataSource countingLookups(DataSource target) {
        lookupQueries.set(0);
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, target, args);
                    return result instanceof Connection connection ? counting(connection) : result;
                });
    }

    private static Connection counting(Connection target) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && args[0].toString().contains("SELECT input_kind")) {
                        lookupQueries.incrementAndGet();
                    }
                    return invoke(method, target, args);
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
