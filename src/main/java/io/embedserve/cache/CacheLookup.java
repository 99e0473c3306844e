package io.embedserve.cache;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cache lookups with a hard deadline. The query runs on a small pool sized to the connection pool,
 * and the request waits for it at most the lookup timeout: JDBC cannot promise that bound by itself
 * (HikariCP will not wait less than 250 ms for a connection, and a connection to an unreachable
 * host blocks in the socket). A late or failed lookup answers "no hits" and degrades the cache; the
 * query itself is stopped by the server's statement_timeout shortly after.
 *
 * <p>Each lookup is a span ({@value #SPAN}) of the request that waits for it, when tracing is on:
 * it runs on the request's thread, so the request's span is the current one.
 */
final class CacheLookup implements AutoCloseable {

    static final String SPAN = "embedserve.cache.lookup";
    static final String KEYS = "embedserve.cache.keys";
    static final String HITS = "embedserve.cache.hits";

    private final CacheStore store;
    private final CacheAvailability availability;
    private final CacheMetrics metrics;
    private final Duration timeout;
    private final Duration touchAfter;
    private final ThreadPoolExecutor pool;
    private final Tracer tracer;

    CacheLookup(CacheStore store, CacheAvailability availability, CacheMetrics metrics, CacheProperties properties,
            Tracer tracer) {
        this.tracer = tracer;
        this.store = store;
        this.availability = availability;
        this.metrics = metrics;
        this.timeout = properties.lookupTimeout();
        this.touchAfter = properties.touchAfter();
        int threads = properties.lookupThreads();
        AtomicInteger count = new AtomicInteger();
        // A short queue: a lookup that would wait behind many others is better answered as a miss.
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(4 * threads), task -> {
                    Thread thread = new Thread(task, "embedding-cache-lookup-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** The stored vectors for those keys that have one; empty when the cache cannot answer in time. */
    Map<CacheKey, CacheStore.Hit> find(KeyContext context, CacheScope scope, Collection<CacheKey> keys) {
        Span request = tracer.currentSpan();
        // Outside a request (no current span) a lookup would start a trace of its own: none is made.
        Span span = request == null ? Span.NOOP : tracer.nextSpan(request).name(SPAN).tag(KEYS, keys.size()).start();
        try {
            Map<CacheKey, CacheStore.Hit> hits = findInTime(context, scope, keys, span);
            span.tag(HITS, hits.size());
            return hits;
        } finally {
            span.end();
        }
    }

    private Map<CacheKey, CacheStore.Hit> findInTime(KeyContext context, CacheScope scope, Collection<CacheKey> keys,
            Span span) {
        if (availability.degraded()) {
            span.event("cache degraded: skipped");
            return Map.of();
        }
        long started = System.nanoTime();
        Future<Map<CacheKey, CacheStore.Hit>> result;
        try {
            result = pool.submit(() -> store.find(context, scope, keys, touchAfter));
        } catch (RejectedExecutionException e) {
            // Every lookup thread is busy: a load spike, not a broken database, so no degradation.
            span.event("every lookup thread busy: skipped");
            metrics.error(CacheMetrics.Operation.LOOKUP);
            return Map.of();
        }
        try {
            // Success does not end a degraded state: a slow lookup started before the failure could
            // otherwise flip the state back and forth; the writer's probe decides recovery.
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            return failed(new TimeoutException("no answer within " + timeout.toMillis() + " ms"), span);
        } catch (ExecutionException e) {
            return failed(e.getCause(), span);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(false);
            return Map.of();
        } finally {
            metrics.lookupTook(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Map<CacheKey, CacheStore.Hit> failed(Throwable cause, Span span) {
        span.error(cause);
        metrics.error(CacheMetrics.Operation.LOOKUP);
        availability.failed("lookup", cause);
        return Map.of();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
