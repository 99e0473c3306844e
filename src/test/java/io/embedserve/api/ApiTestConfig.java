package io.embedserve.api;

import io.embedserve.config.ApiKeyProperties;
import io.embedserve.config.RequestBodyProperties;
import io.embedserve.config.ServingProperties;
import io.embedserve.metrics.EmbedServeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * What a web slice needs besides controllers, advice and filters: the limits, the shared request
 * rules, the JSON read limits (a slice leaves Jackson customizers out), metrics on a throwaway
 * registry, and hand-written models in place of the real ones.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({ServingProperties.class, ApiKeyProperties.class, RequestBodyProperties.class})
@Import({RequestValidator.class, JsonReadLimits.class})
class ApiTestConfig {

    @Bean
    EmbedServeMetrics embedServeMetrics() {
        return new EmbedServeMetrics(new SimpleMeterRegistry(), "float32");
    }

    @Bean
    FakeEmbeddingService fakeEmbeddingService() {
        return new FakeEmbeddingService();
    }

    @Bean
    FakeCrossEncoderService fakeCrossEncoderService() {
        return new FakeCrossEncoderService();
    }
}
