package io.embedserve.cache;

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
 */
final class CacheLookup implements AutoCloseable {

    private final CacheStore store;
    private final CacheAvailability availability;
    private final CacheMetrics metrics;
    private final Duration timeout;
    private final Duration touchAfter;
    private final ThreadPoolExecutor pool;

    CacheLookup(CacheStore store, CacheAvailability availability, CacheMetrics metrics, CacheProperties properties) {
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
        if (availability.degraded()) {
            return Map.of();
        }
        long started = System.nanoTime();
        Future<Map<CacheKey, CacheStore.Hit>> result;
        try {
            result = pool.submit(() -> store.find(context, scope, keys, touchAfter));
        } catch (RejectedExecutionException e) {
            // Every lookup thread is busy: a load spike, not a broken database, so no degradation.
            metrics.error(CacheMetrics.Operation.LOOKUP);
            return Map.of();
        }
        try {
            // Success does not end a degraded state: a slow lookup started before the failure could
            // otherwise flip the state back and forth; the writer's probe decides recovery.
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            return failed(new TimeoutException("no answer within " + timeout.toMillis() + " ms"));
        } catch (ExecutionException e) {
            return failed(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(false);
            return Map.of();
        } finally {
            metrics.lookupTook(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Map<CacheKey, CacheStore.Hit> failed(Throwable cause) {
        metrics.error(CacheMetrics.Operation.LOOKUP);
        availability.failed("lookup", cause);
        return Map.of();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
