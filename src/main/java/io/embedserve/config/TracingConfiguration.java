package io.embedserve.config;

import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing while it is off ({@link ObservabilitySettings}: no trace endpoint): OpenTelemetry's no-op.
 * Spring Boot's own "disabled" OpenTelemetry still builds a tracer provider that records every
 * request's spans in memory only to drop them; the no-op makes no span at all, and the request
 * path skips its phase spans.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    @Bean
    @ConditionalOnBooleanProperty(name = "management.opentelemetry.enabled", havingValue = false)
    OpenTelemetry openTelemetryOff() {
        return OpenTelemetry.noop();
    }
}
