package io.embedserve.cache;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Postgres embedding cache. It is on when {@code spring.datasource.url} (SPRING_DATASOURCE_URL)
 * is set and {@code enabled} is not false. Every field binds from EMBEDSERVE_CACHE_* by Spring's
 * relaxed binding, e.g. EMBEDSERVE_CACHE_MAX_AGE=7d.
 *
 * @param enabled false turns the cache off even with a database configured
 * @param lookupTimeout the longest a request waits for its cache lookup; past it the request is
 *     computed without the cache and the cache is marked degraded. Also the server-side
 *     statement_timeout of lookups.
 * @param backgroundTimeout statement_timeout of the writer's inserts and of expiry deletes
 * @param maxAge rows unused for longer are deleted (by last_used_at); 0 keeps rows forever
 * @param maxRows the table is trimmed to this many rows, least recently used first, at each expiry
 *     run; 0 means no limit. The default keeps the table near 2.4 GB for a 768-dimension model (a
 *     row with its TOAST and index entries measured 4.8 KB in Postgres 17; 2.7 KB at 384 dimensions),
 *     enough for the working set of most deployments without letting the table grow without bound
 * @param expiryInterval how often expiry runs
 * @param writeQueue vectors waiting to be written; when full, new ones are dropped and counted
 * @param writeBatch rows per insert batch
 * @param retryBackoff how long the database is left alone after a failure before it is tried again
 * @param maxRetryBackoff the back-off doubles while the database keeps failing, up to this
 * @param poolSize connections in the pool: lookups use all but two, the writer and expiry one each
 */
@Validated
@ConfigurationProperties("embedserve.cache")
public record CacheProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("200ms") Duration lookupTimeout,
        @DefaultValue("30s") Duration backgroundTimeout,
        @DefaultValue("30d") Duration maxAge,
        @DefaultValue("500000") @PositiveOrZero long maxRows,
        @DefaultValue("1h") Duration expiryInterval,
        @DefaultValue("4096") @Min(1) int writeQueue,
        @DefaultValue("256") @Min(1) int writeBatch,
        @DefaultValue("1s") Duration retryBackoff,
        @DefaultValue("60s") Duration maxRetryBackoff,
        @DefaultValue("6") @Min(3) int poolSize) {

    public CacheProperties {
        requirePositive("lookup-timeout", lookupTimeout);
        requirePositive("background-timeout", backgroundTimeout);
        requirePositive("expiry-interval", expiryInterval);
        requirePositive("retry-backoff", retryBackoff);
        requirePositive("max-retry-backoff", maxRetryBackoff);
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException(
                    "embedserve.cache.max-age (EMBEDSERVE_CACHE_MAX_AGE) must be 0 (keep forever) or a positive"
                            + " duration such as 30d; got " + maxAge);
        }
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("embedserve.cache.max-retry-backoff (" + maxRetryBackoff
                    + ") must not be shorter than embedserve.cache.retry-backoff (" + retryBackoff + ")");
        }
    }

    /** Lookups may use every pooled connection but the writer's and expiry's. */
    int lookupThreads() {
        return poolSize - 2;
    }

    /**
     * A hit refreshes last_used_at only when the stored value is older than this: a hot row is
     * rewritten at most once per interval instead of on every hit, and still never looks unused
     * to expiry. A tenth of max-age, at most an hour.
     */
    Duration touchAfter() {
        if (maxAge.isZero()) {
            return Duration.ofHours(1);
        }
        Duration tenth = maxAge.dividedBy(10);
        return tenth.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : tenth;
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(
                    "embedserve.cache." + name + " must be a positive duration such as 200ms or 5s; got " + value);
        }
    }
}
