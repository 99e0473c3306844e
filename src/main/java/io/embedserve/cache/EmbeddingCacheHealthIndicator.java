package io.embedserve.cache;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The "embeddingCache" entry of /actuator/health. It reports the circuit breaker's view and never
 * queries the database itself, so it is as cheap as the probes that read it. A degraded cache is
 * status DEGRADED: the status aggregator does not know that code and leaves the overall status
 * alone, and the cache is in neither probe group, so readiness stays UP: the service still embeds.
 */
final class EmbeddingCacheHealthIndicator implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "requests are served without the embedding cache");

    private final EmbeddingCache cache;

    EmbeddingCacheHealthIndicator(EmbeddingCache cache) {
        this.cache = cache;
    }

    @Override
    public Health health() {
        CacheAvailability.State state = cache.state();
        Health.Builder health = state.degraded() ? Health.status(DEGRADED) : Health.up();
        health.withDetail("degraded", state.degraded())
                .withDetail("since", state.since().toString())
                .withDetail("queuedWrites", cache.queuedWrites());
        if (state.degraded()) {
            health.withDetail("retryInMs", state.retryIn().toMillis());
        }
        if (state.lastError() != null) {
            health.withDetail("lastError", state.lastError());
        }
        return health.build();
    }
}
