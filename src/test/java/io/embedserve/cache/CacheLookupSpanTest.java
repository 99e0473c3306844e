package io.embedserve.cache;

import static io.embedserve.cache.CacheTesting.MODEL;
import static io.embedserve.cache.CacheTesting.await;
import static io.embedserve.cache.CacheTesting.settings;
import static io.embedserve.cache.CacheTesting.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.TokenizedInput;
import io.embedserve.testsupport.InMemoryTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each cache lookup on a real Postgres is a child span of the request that waited for it. */
class CacheLookupSpanTest {

    static HikariDataSource pool;

    final InMemoryTracing tracing = new InMemoryTracing();
    final Tracer tracer = tracing.tracer();
    final CountingEncoder model = new CountingEncoder();
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
        CachePostgres.execute(pool, "DELETE FROM embedding_cache");
        cache = new EmbeddingCache(pool, settings(), new SimpleMeterRegistry(), tracer);
    }

    @AfterEach
    void close() {
        cache.close();
        tracing.close();
    }

    void encodeInsideARequest(String name, List<TokenizedInput> inputs) {
        PooledEncoder encoder = cache.wrap(model, () -> MODEL, () -> CacheScope.OPEN);
        Span request = tracer.nextSpan().name(name).start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
            encoder.encode(inputs);
        } finally {
            request.end();
        }
    }

    List<SpanData> lookups() {
        return tracing.spans().stream().filter(s -> s.getName().equals("embedserve.cache.lookup")).toList();
    }

    @Test
    void aLookupIsAChildOfTheRequestWithItsKeysAndHits() {
        List<TokenizedInput> inputs = List.of(text("first", 0, 21, 2), text("second", 0, 22, 2), text("first", 0, 21, 2));
        encodeInsideARequest("first request", inputs);
        await("2 cached rows", Duration.ofSeconds(10),
                () -> CachePostgres.count(pool, "SELECT count(*) FROM embedding_cache") >= 2);
        encodeInsideARequest("second request", inputs);

        List<SpanData> lookups = lookups();
        assertThat(lookups).hasSize(2);
        SpanData first = tracing.span("first request");
        SpanData second = tracing.span("second request");
        assertThat(lookups.get(0).getParentSpanId()).isEqualTo(first.getSpanId());
        assertThat(lookups.get(0).getTraceId()).isEqualTo(first.getTraceId());
        assertThat(lookups.get(1).getParentSpanId()).isEqualTo(second.getSpanId());
        // Two distinct texts: "first" is looked up once.
        assertThat(lookups.get(0).getAttributes().get(AttributeKey.longKey("embedserve.cache.keys"))).isEqualTo(2L);
        assertThat(lookups.get(0).getAttributes().get(AttributeKey.longKey("embedserve.cache.hits"))).isEqualTo(0L);
        assertThat(lookups.get(1).getAttributes().get(AttributeKey.longKey("embedserve.cache.hits"))).isEqualTo(2L);
        for (SpanData lookup : lookups) {
            SpanData request = lookup == lookups.get(0) ? first : second;
            assertThat(lookup.getStartEpochNanos()).isGreaterThanOrEqualTo(request.getStartEpochNanos());
            assertThat(lookup.getEndEpochNanos()).isLessThanOrEqualTo(request.getEndEpochNanos());
        }
    }

    @Test
    void aLookupOutsideARequestStartsNoTraceOfItsOwn() {
        cache.wrap(model, () -> MODEL, () -> CacheScope.OPEN).encode(List.of(text("alone", 0, 23, 2)));
        assertThat(tracing.spans()).isEmpty();
    }
}
