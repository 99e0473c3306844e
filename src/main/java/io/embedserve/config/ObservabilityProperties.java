package io.embedserve.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Logs and traces, by TEI's names ({@link ObservabilitySettings} turns them into Spring Boot's
 * logging and tracing settings before logging starts).
 *
 * @param jsonOutput true: every console line is one JSON object (Elastic Common Schema) instead of text
 * @param otlpEndpoint where traces go, by OTLP over gRPC (e.g. http://otel-collector:4317); unset,
 *     tracing is off: no exporter and no span processor thread
 * @param otlpServiceName the traces' service.name; unset: OTEL_SERVICE_NAME, else embedserve
 */
@ConfigurationProperties("embedserve.observability")
public record ObservabilityProperties(
        @EnvironmentVariable("JSON_OUTPUT") @DefaultValue("false") boolean jsonOutput,
        @EnvironmentVariable("OTLP_ENDPOINT") String otlpEndpoint,
        @EnvironmentVariable("OTLP_SERVICE_NAME") String otlpServiceName) {}
