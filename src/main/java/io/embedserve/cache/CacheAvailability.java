package io.embedserve.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Circuit breaker for the cache database. Any failed or late operation marks the cache degraded;
 * while degraded, requests do not touch the database at all (they are computed without the cache),
 * and only the writer thread probes it, after a back-off that doubles while the probes keep
 * failing. A successful probe or write ends the degraded state. So a dead Postgres costs a request
 * nothing, and a request never pays for finding out that Postgres is back.
 */
final class CacheAvailability {

    private static final Logger log = LoggerFactory.getLogger(CacheAvailability.class);

    /** What the health endpoint shows. */
    record State(boolean degraded, Instant since, String lastError, long failures, Duration retryIn) {}

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private volatile boolean degraded;
    private Instant since;
    private String lastError;
    private long failures;
    private Duration backoff;
    private Instant retryAt;

    CacheAvailability(Duration initialBackoff, Duration maxBackoff, Clock clock) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        this.since = clock.instant();
    }

    /** True while the database is believed unavailable: requests skip it. */
    boolean degraded() {
        return degraded;
    }

    /** A lookup or write failed (or was too slow): degrade until a probe succeeds. */
    synchronized void failed(String operation, Throwable error) {
        failures++;
        lastError = operation + ": " + describe(error);
        if (!degraded) {
            degraded = true;
            since = clock.instant();
            backoff = initialBackoff;
            retryAt = since.plus(backoff);
            log.warn("Embedding cache degraded, requests are served without it; retrying the database in {} ms. "
                    + "Cause: {}", backoff.toMillis(), lastError);
        }
    }

    /** A probe of a degraded database failed: leave it alone for twice as long, up to the cap. */
    synchronized void probeFailed(Throwable error) {
        failures++;
        lastError = "probe: " + describe(error);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
        retryAt = clock.instant().plus(backoff);
        log.debug("Embedding cache database still unavailable, next try in {} ms: {}", backoff.toMillis(), lastError);
    }

    /** The database answered. */
    synchronized void succeeded() {
        if (degraded) {
            degraded = false;
            log.info("Embedding cache recovered after {} ms degraded", Duration.between(since, clock.instant()).toMillis());
            since = clock.instant();
        }
    }

    /** Whether the writer should probe now. */
    synchronized boolean retryDue() {
        return degraded && !clock.instant().isBefore(retryAt);
    }

    synchronized Duration untilRetry() {
        if (!degraded) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), retryAt);
        return left.isNegative() ? Duration.ZERO : left;
    }

    synchronized State state() {
        return new State(degraded, since, lastError, failures, untilRetry());
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
