package io.embedserve.cache;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the table bounded: on a schedule, deletes rows unused for longer than max-age, then trims
 * to max-rows least recently used first. "Used" is last_used_at, which hits refresh (see
 * {@link CacheProperties#touchAfter()}). Runs on its own thread, in chunks, with the background
 * statement_timeout, and not at all while the database is unavailable. Every replica runs it;
 * concurrent runs only delete the same rows once.
 */
final class CacheExpiry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CacheExpiry.class);
    static final int CHUNK = 5000;

    private final CacheStore store;
    private final CacheAvailability availability;
    private final CacheMetrics metrics;
    private final Duration maxAge;
    private final long maxRows;
    private final ScheduledExecutorService scheduler;

    CacheExpiry(CacheStore store, CacheAvailability availability, CacheMetrics metrics, CacheProperties properties) {
        this.store = store;
        this.availability = availability;
        this.metrics = metrics;
        this.maxAge = properties.maxAge();
        this.maxRows = properties.maxRows();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "embedding-cache-expiry");
            thread.setDaemon(true);
            return thread;
        });
        long period = properties.expiryInterval().toMillis();
        // The first run waits a minute (or one interval, if shorter) so that start-up stays quiet.
        long firstRun = Math.min(period, Duration.ofMinutes(1).toMillis());
        scheduler.scheduleWithFixedDelay(this::runSafely, firstRun, period, TimeUnit.MILLISECONDS);
    }

    /** One expiry pass; returns the rows deleted. */
    long run() throws SQLException {
        if (availability.degraded()) {
            return 0;
        }
        long deleted = maxAge.isZero() ? 0 : store.deleteUnusedFor(maxAge, CHUNK);
        if (maxRows > 0) {
            deleted += store.trimTo(maxRows, CHUNK);
        }
        metrics.expired(deleted);
        if (deleted > 0) {
            log.info("Embedding cache expiry deleted {} rows", deleted);
        }
        return deleted;
    }

    private void runSafely() {
        try {
            run();
        } catch (SQLException | RuntimeException e) {
            // Not a reason to degrade requests: a long delete can time out on a healthy database.
            metrics.error(CacheMetrics.Operation.EXPIRY);
            log.warn("Embedding cache expiry failed; it runs again in the next interval: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
