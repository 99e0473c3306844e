package io.embedserve.api;

import io.embedserve.inference.EmbeddingService;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The "model" member of the readiness group (application.yml): OUT_OF_SERVICE until the model is
 * loaded and warmed, so the probe keeps traffic away without restarting the pod. Spring names the
 * contributor after the bean minus "HealthIndicator"; the bean name is spelled out so that the key
 * stays "model" however the class is registered (scan, @Import, @Bean).
 */
@Component("modelHealthIndicator")
class ModelHealthIndicator implements HealthIndicator {

    private final EmbeddingService service;

    ModelHealthIndicator(EmbeddingService service) {
        this.service = service;
    }

    @Override
    public Health health() {
        if (service.isReady()) {
            return Health.up().build();
        }
        return Health.outOfService().withDetail("reason", "model not loaded yet").build();
    }
}
