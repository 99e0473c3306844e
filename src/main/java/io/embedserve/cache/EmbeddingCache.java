package io.embedserve.cache;

import io.embedserve.inference.PooledEncoder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import java.time.Clock;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The embedding cache as one unit: the table, the circuit breaker, the bounded lookups, the
 * background writer and expiry, and their meters. Building it starts the writer and expiry threads
 * (the writer's first act is a probe, so the health endpoint soon shows whether the database and
 * its table are there); {@link #close()} stops them.
 */
public final class EmbeddingCache implements AutoCloseable {

    private final CacheMetrics metrics;
    private final CacheAvailability availability;
    private final CacheStore store;
    private final CacheLookup lookup;
    private final CacheWriter writer;
    private final CacheExpiry expiry;

    public EmbeddingCache(DataSource dataSource, CacheProperties properties, MeterRegistry registry) {
        this(dataSource, properties, registry, Tracer.NOOP);
    }

    /** @param tracer records each lookup as a span of the request that waited for it */
    public EmbeddingCache(DataSource dataSource, CacheProperties properties, MeterRegistry registry, Tracer tracer) {
        this.metrics = new CacheMetrics(registry);
        this.availability = new CacheAvailability(
                properties.retryBackoff(), properties.maxRetryBackoff(), Clock.systemUTC());
        metrics.degraded(availability::degraded);
        this.store = new CacheStore(dataSource, properties.backgroundTimeout());
        this.lookup = new CacheLookup(store, availability, metrics, properties, tracer);
        this.writer = new CacheWriter(store, availability, metrics, properties.writeQueue(), properties.writeBatch());
        this.expiry = new CacheExpiry(store, availability, metrics, properties);
    }

    /**
     * The cache stage around {@code inner}, keyed by whatever model {@code contexts} names, within
     * the scope {@code scopes} gives for the request at hand.
     */
    PooledEncoder wrap(PooledEncoder inner, Supplier<KeyContext> contexts, Supplier<CacheScope> scopes) {
        return new CachingEncoder(inner, contexts, scopes, lookup, writer, metrics);
    }

    CacheAvailability.State state() {
        return availability.state();
    }

    int queuedWrites() {
        return writer.queued();
    }

    CacheExpiry expiry() {
        return expiry;
    }

    @Override
    public void close() {
        expiry.close();
        lookup.close();
        writer.close();
    }
}
