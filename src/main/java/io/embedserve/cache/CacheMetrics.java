package io.embedserve.cache;

import static io.embedserve.metrics.EmbedServeMetrics.CACHE_DEGRADED;
import static io.embedserve.metrics.EmbedServeMetrics.CACHE_ERRORS;
import static io.embedserve.metrics.EmbedServeMetrics.CACHE_EXPIRED;
import static io.embedserve.metrics.EmbedServeMetrics.CACHE_HITS;
import static io.embedserve.metrics.EmbedServeMetrics.CACHE_INVALID;
import static io.embedserve.metrics.EmbedServeMetrics.CACHE_LOOKUP;
import static io.embedserve.metrics.EmbedServeMetrics.CACHE_MISSES;
import static io.embedserve.metrics.EmbedServeMetrics.CACHE_WRITES;
import static io.embedserve.metrics.EmbedServeMetrics.CACHE_WRITES_DROPPED;
import static io.embedserve.metrics.EmbedServeMetrics.CACHE_WRITE_QUEUE;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The cache's meters (gauges hold their suppliers strongly: Micrometer's default weak reference
 * would let a lambda be collected and the gauge turn NaN), registered when the cache is built so that Prometheus sees them at zero
 * before the first request. Hits and misses count inputs; an input answered while the cache is
 * degraded counts as a miss.
 */
final class CacheMetrics {

    /** What failed: the tag of {@value io.embedserve.metrics.EmbedServeMetrics#CACHE_ERRORS}. */
    enum Operation {
        LOOKUP, WRITE, EXPIRY, PROBE
    }

    private final MeterRegistry registry;
    private final Counter hits;
    private final Counter misses;
    private final Map<Operation, Counter> errors = new EnumMap<>(Operation.class);
    private final Counter writes;
    private final Counter dropped;
    private final Counter expired;
    private final Counter invalid;
    private final Timer lookup;

    CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
        hits = Counter.builder(CACHE_HITS).description("Inputs answered from the embedding cache").register(registry);
        misses = Counter.builder(CACHE_MISSES)
                .description("Inputs the model computed: not cached, or the cache was unavailable").register(registry);
        for (Operation operation : Operation.values()) {
            errors.put(operation, Counter.builder(CACHE_ERRORS).tag("operation", operation.name().toLowerCase(Locale.ROOT))
                    .description("Failed or timed-out cache database operations").register(registry));
        }
        writes = Counter.builder(CACHE_WRITES).description("Vectors inserted into the embedding cache").register(registry);
        dropped = Counter.builder(CACHE_WRITES_DROPPED)
                .description("Computed vectors not written: write queue full, or the write failed").register(registry);
        invalid = Counter.builder(CACHE_INVALID).baseUnit("rows")
                .description("Stored vectors whose length is not the model's: treated as misses").register(registry);
        expired = Counter.builder(CACHE_EXPIRED).description("Rows deleted by cache expiry").register(registry);
        lookup = Timer.builder(CACHE_LOOKUP).description("Time a request waited for its cache lookup").register(registry);
    }

    void hits(int count) {
        hits.increment(count);
    }

    void misses(int count) {
        misses.increment(count);
    }

    void invalid(int count) {
        invalid.increment(count);
    }

    void error(Operation operation) {
        errors.get(operation).increment();
    }

    void written(int count) {
        writes.increment(count);
    }

    void writeDropped(int count) {
        dropped.increment(count);
    }

    void expired(long count) {
        expired.increment(count);
    }

    void lookupTook(Duration duration) {
        lookup.record(duration);
    }

    void degraded(BooleanSupplier degraded) {
        Gauge.builder(CACHE_DEGRADED, degraded, d -> d.getAsBoolean() ? 1 : 0)
                .description("1 while the cache database is unavailable and requests bypass the cache")
                .strongReference(true).register(registry);
    }

    void writeQueue(IntSupplier size) {
        Gauge.builder(CACHE_WRITE_QUEUE, size, IntSupplier::getAsInt)
                .description("Computed vectors waiting to be written to the cache")
                .strongReference(true).register(registry);
    }
}
