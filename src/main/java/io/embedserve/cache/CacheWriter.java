package io.embedserve.cache;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the cache writes, off the request path: one background thread drains a bounded queue
 * of computed vectors into batched inserts, and refreshes last_used_at of hits in batched updates.
 * A request only ever offers to the queue; when it is full the vector is dropped and counted, never
 * waited for. The same thread probes the database while the cache is degraded, and checks on it
 * now and then while idle so that the health endpoint does not report a dead database as UP.
 */
final class CacheWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CacheWriter.class);
    private static final Duration IDLE_CHECK = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 200;

    private record Touch(KeyContext context, CacheScope scope, CacheKey key) {}

    /** The touches one UPDATE statement can serve: same model, same scope. */
    private record TouchGroup(KeyContext context, CacheScope scope) {}

    private final CacheStore store;
    private final CacheAvailability availability;
    private final CacheMetrics metrics;
    private final int batchSize;
    private final BlockingQueue<CacheStore.Row> rows;
    private final BlockingQueue<Touch> touches;
    private final Thread thread;
    private volatile boolean running = true;
    private long lastContactNanos = System.nanoTime();

    CacheWriter(CacheStore store, CacheAvailability availability, CacheMetrics metrics, int capacity, int batchSize) {
        this.store = store;
        this.availability = availability;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.rows = new ArrayBlockingQueue<>(capacity);
        this.touches = new ArrayBlockingQueue<>(capacity);
        metrics.writeQueue(rows::size);
        this.thread = new Thread(this::run, "embedding-cache-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a computed vector for insertion; never blocks. */
    void offer(CacheStore.Row row) {
        if (!rows.offer(row)) {
            metrics.writeDropped(1);
        }
    }

    /** Queues a last_used_at refresh; never blocks, and a lost refresh only ages a row early. */
    void touch(KeyContext context, CacheScope scope, CacheKey key) {
        touches.offer(new Touch(context, scope, key));
    }

    int queued() {
        return rows.size();
    }

    private void run() {
        checkDatabase();
        while (running || !rows.isEmpty()) {
            try {
                if (availability.degraded()) {
                    waitForRetry();
                    continue;
                }
                List<CacheStore.Row> batch = nextBatch();
                List<Touch> refreshes = new ArrayList<>();
                touches.drainTo(refreshes, batchSize);
                if (batch.isEmpty() && refreshes.isEmpty()) {
                    if (System.nanoTime() - lastContactNanos > IDLE_CHECK.toNanos()) {
                        checkDatabase();
                    }
                    continue;
                }
                write(batch, refreshes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Embedding cache writer caught an unexpected error; it keeps running", e);
            }
        }
    }

    private List<CacheStore.Row> nextBatch() throws InterruptedException {
        List<CacheStore.Row> batch = new ArrayList<>(batchSize);
        CacheStore.Row first = rows.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first != null) {
            batch.add(first);
            rows.drainTo(batch, batchSize - 1);
        }
        return batch;
    }

    private void write(List<CacheStore.Row> batch, List<Touch> refreshes) {
        try {
            if (!batch.isEmpty()) {
                metrics.written(store.insert(batch));
            }
            for (Map.Entry<TouchGroup, Set<CacheKey>> touch : byGroup(refreshes).entrySet()) {
                store.touch(touch.getKey().context(), touch.getKey().scope(), touch.getValue());
            }
            contact();
        } catch (SQLException | RuntimeException e) {
            metrics.error(CacheMetrics.Operation.WRITE);
            if (unreachable(e)) {
                // The database went away while these rows were on their way: keep them for when it
                // is back (the queue stays bounded), as rows queued during the outage are kept.
                batch.forEach(this::offer);
            } else {
                metrics.writeDropped(batch.size());
            }
            availability.failed("write", e);
        }
    }

    /**
     * The database went away rather than refused the row: a connection failure (SQLState class
     * 08), the pool giving up, or a server that is shutting down or starting (57P01 admin_shutdown,
     * 57P02 crash_shutdown, 57P03 cannot_connect_now), which is what a pooled connection reports
     * on its first use after Postgres restarted.
     */
    static boolean unreachable(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof SQLException sql && sql.getSQLState() != null && serverGone(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean serverGone(String sqlState) {
        return sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02")
                || sqlState.equals("57P03");
    }

    private static Map<TouchGroup, Set<CacheKey>> byGroup(List<Touch> touches) {
        Map<TouchGroup, Set<CacheKey>> grouped = new LinkedHashMap<>();
        touches.forEach(t -> grouped.computeIfAbsent(new TouchGroup(t.context(), t.scope()), g -> new LinkedHashSet<>())
                .add(t.key()));
        return grouped;
    }

    /** While degraded: sleep until the back-off has passed, then probe. Queued rows wait (bounded). */
    private void waitForRetry() throws InterruptedException {
        long sleep = Math.min(availability.untilRetry().toMillis(), POLL_MILLIS);
        if (sleep > 0) {
            Thread.sleep(sleep);
        }
        if (!running) {
            List<CacheStore.Row> abandoned = new ArrayList<>();
            rows.drainTo(abandoned);
            metrics.writeDropped(abandoned.size());
            return;
        }
        if (availability.retryDue()) {
            try {
                store.probe();
                contact();
            } catch (SQLException | RuntimeException e) {
                availability.probeFailed(e);
            }
        }
    }

    private void checkDatabase() {
        try {
            store.probe();
            contact();
        } catch (SQLException | RuntimeException e) {
            metrics.error(CacheMetrics.Operation.PROBE);
            availability.failed("probe", e);
        }
    }

    private void contact() {
        lastContactNanos = System.nanoTime();
        availability.succeeded();
    }

    /** Writes what is queued (while the database answers), then stops; waits at most 10 s. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
