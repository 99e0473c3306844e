package io.embedserve.cache;

import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.PooledVectors;
import io.embedserve.inference.TokenizedInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache stage in front of the batch queue: one lookup for all of a request's inputs, the misses
 * (each distinct input once) through the wrapped encoder, every vector back in input order, and the
 * new vectors handed to the background writer. Hits are the stored float32 bits, unchanged; they
 * are raw pooled vectors, so normalisation and {@code dimensions} still apply after this stage.
 * When the cache cannot answer, every input is a miss and the request goes on as if there were no
 * cache. A stored vector whose length is not the model's is a miss too, and is counted
 * ({@value io.embedserve.metrics.EmbedServeMetrics#CACHE_INVALID}); the row is left for expiry,
 * since it is never used again. Lookups and writes stay within the request's {@link CacheScope};
 * a request without one is computed without the cache.
 */
final class CachingEncoder implements PooledEncoder {

    private static final Logger log = LoggerFactory.getLogger(CachingEncoder.class);

    private final PooledEncoder inner;
    private final Supplier<KeyContext> contexts;
    private final Supplier<CacheScope> scopes;
    private final AtomicBoolean warnedUnscoped = new AtomicBoolean();
    private final CacheLookup lookup;
    private final CacheWriter writer;
    private final CacheMetrics metrics;

    /**
     * @param contexts the model's part of the key; null while it is not known yet (the cache is
     *     then bypassed)
     * @param scopes the calling request's scope; null when none is bound (the cache is then bypassed)
     */
    CachingEncoder(PooledEncoder inner, Supplier<KeyContext> contexts, Supplier<CacheScope> scopes, CacheLookup lookup,
            CacheWriter writer, CacheMetrics metrics) {
        this.inner = inner;
        this.contexts = contexts;
        this.scopes = scopes;
        this.lookup = lookup;
        this.writer = writer;
        this.metrics = metrics;
    }

    @Override
    public PooledVectors encode(List<TokenizedInput> inputs) {
        KeyContext context = contexts.get();
        CacheScope scope = scopes.get();
        if (scope == null && warnedUnscoped.compareAndSet(false, true)) {
            log.warn("Embedding cache bypassed: a request reached it without a cache scope (whose vectors it"
                    + " may see); it was computed without the cache, as every such request will be");
        }
        if (context == null || scope == null || inputs.isEmpty()) {
            metrics.misses(inputs.size());
            return inner.encode(inputs);
        }
        Map<CacheKey, List<Integer>> positions = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            positions.computeIfAbsent(CacheKey.of(inputs.get(i)), k -> new ArrayList<>(1)).add(i);
        }
        Map<CacheKey, CacheStore.Hit> hits = lookup.find(context, scope, positions.keySet());
        float[][] vectors = new float[inputs.size()][];
        List<CacheKey> missing = new ArrayList<>();
        List<TokenizedInput> toCompute = new ArrayList<>();
        int answered = 0;
        int invalid = 0;
        for (Map.Entry<CacheKey, List<Integer>> entry : positions.entrySet()) {
            CacheStore.Hit hit = hits.get(entry.getKey());
            if (hit != null && (hit.vector() == null || hit.vector().length != context.dimensions())) {
                invalid++; // not this model's vector (a damaged or foreign row): computed again
                hit = null;
            }
            if (hit == null) {
                missing.add(entry.getKey());
                toCompute.add(inputs.get(entry.getValue().get(0)));
                continue;
            }
            place(vectors, entry.getValue(), hit.vector());
            answered += entry.getValue().size();
            if (hit.stale()) {
                writer.touch(context, scope, entry.getKey());
            }
        }
        metrics.invalid(invalid);
        metrics.hits(answered);
        metrics.misses(inputs.size() - answered);
        if (toCompute.isEmpty()) {
            return new PooledVectors(vectors, 0, 0);
        }
        PooledVectors computed = inner.encode(toCompute);
        for (int j = 0; j < missing.size(); j++) {
            float[] vector = computed.vectors()[j];
            place(vectors, positions.get(missing.get(j)), vector);
            writer.offer(new CacheStore.Row(context, scope, missing.get(j), VectorCodec.encode(vector)));
        }
        return new PooledVectors(vectors, computed.queueNanos(), computed.inferenceNanos());
    }

    /** The same input more than once in a request: each position gets its own copy. */
    private static void place(float[][] vectors, List<Integer> at, float[] vector) {
        vectors[at.get(0)] = vector;
        for (int k = 1; k < at.size(); k++) {
            vectors[at.get(k)] = vector.clone();
        }
    }
}
