package io.embedserve.api;

import io.embedserve.inference.CrossEncoderService;
import io.embedserve.inference.EmbeddingService;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The "model" member of the readiness group (application.yml): OUT_OF_SERVICE until every model the
 * process serves (the sentence model, the cross-encoder, or both) is loaded and warmed, so the
 * probe keeps traffic away without restarting the pod. Spring names the
 * contributor after the bean minus "HealthIndicator"; the bean name is spelled out so that the key
 * stays "model" however the class is registered (scan, @Import, @Bean).
 */
@Component("modelHealthIndicator")
class ModelHealthIndicator implements HealthIndicator {

    private final EmbeddingService service;
    private final CrossEncoderService crossEncoders;

    ModelHealthIndicator(EmbeddingService service, CrossEncoderService crossEncoders) {
        this.service = service;
        this.crossEncoders = crossEncoders;
    }

    @Override
    public Health health() {
        if (service.isReady() && crossEncoders.isReady()) {
            return Health.up().build();
        }
        return Health.outOfService().withDetail("reason", "model not loaded yet").build();
    }
}
