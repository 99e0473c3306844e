package io.embedserve.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Turns TEI's logging and tracing settings ({@code embedserve.observability.*} in application.yml:
 * JSON_OUTPUT, OTLP_ENDPOINT, OTLP_SERVICE_NAME) into the Spring Boot properties that do the work.
 * A placeholder cannot say "ecs when true" or "on when set", hence this step; it runs before the
 * logging system starts, so that even the first log line is JSON.
 *
 * <ul>
 *   <li>JSON_OUTPUT=true: console lines in Elastic Common Schema JSON
 *       ({@code logging.structured.format.console=ecs}), without the banner.
 *   <li>Text lines start their message with the request's id in brackets, when there is one, and
 *       with tracing on with the trace and span ids (Spring Boot's correlation column).
 *   <li>OTLP_ENDPOINT: the OTLP trace exporter's endpoint, over gRPC as TEI sends it (OpenTelemetry's
 *       OTEL_EXPORTER_OTLP_PROTOCOL chooses http instead).
 *   <li>OpenTelemetry itself is on only while some trace endpoint is configured (OTLP_ENDPOINT,
 *       OpenTelemetry's own OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or
 *       Spring Boot's property): otherwise no tracer provider, no span processor thread, no exporter.
 * </ul>
 *
 * Everything here is a default: it is added after every other property source, so an explicit
 * Spring Boot property (LOGGING_STRUCTURED_FORMAT_CONSOLE=logstash, for one) still wins.
 */
class ObservabilitySettings implements EnvironmentPostProcessor {

    static final String JSON_OUTPUT = "embedserve.observability.json-output";
    static final String OTLP_ENDPOINT = "embedserve.observability.otlp-endpoint";
    static final String OTLP_SERVICE_NAME = "embedserve.observability.otlp-service-name";

    static final String CONSOLE_FORMAT = "logging.structured.format.console";
    static final String OPENTELEMETRY_ENABLED = "management.opentelemetry.enabled";
    static final String TRACE_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    static final String TRACE_TRANSPORT = "management.opentelemetry.tracing.export.otlp.transport";
    static final String SERVICE_NAME = "management.opentelemetry.resource-attributes.service.name";
    static final String BANNER_MODE = "spring.main.banner-mode";
    static final String CORRELATION_PATTERN = "logging.pattern.correlation";
    /** "[id] " for a line logged while serving a request (api.RequestIdFilter's MDC key), else nothing. */
    static final String REQUEST_ID_PATTERN = "%replace(%X{requestId}){'(.+)', '[$1] '}";

    /** The Elastic Common Schema: one of Spring Boot's built-in formats, read by most log pipelines. */
    static final String JSON_FORMAT = "ecs";

    private static final String SOURCE = "embedserveObservability";

    /**
     * Other ways to name a trace endpoint: Spring Boot's property, and OpenTelemetry's variables
     * (which Spring Boot maps to that property in a post-processor that may run after this one).
     */
    private static final List<String> OTEL_ENDPOINTS = List.of(TRACE_ENDPOINT,
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (jsonOutput(environment)) {
            defaults.put(CONSOLE_FORMAT, JSON_FORMAT);
            defaults.put(BANNER_MODE, "off"); // the banner is not a log line and would break the JSON stream
        }
        String endpoint = environment.getProperty(OTLP_ENDPOINT);
        if (StringUtils.hasText(endpoint)) {
            defaults.put(TRACE_ENDPOINT, endpoint.strip());
            defaults.put(TRACE_TRANSPORT, "grpc");
        }
        String serviceName = environment.getProperty(OTLP_SERVICE_NAME);
        if (StringUtils.hasText(serviceName)) {
            defaults.put(SERVICE_NAME, serviceName.strip());
        }
        boolean tracing = environment.getProperty(OPENTELEMETRY_ENABLED, Boolean.class, StringUtils.hasText(endpoint)
                || OTEL_ENDPOINTS.stream().anyMatch(name -> StringUtils.hasText(environment.getProperty(name))));
        defaults.put(OPENTELEMETRY_ENABLED, tracing);
        // Text lines name their request, and with tracing on its trace and span (Spring Boot's column,
        // which is all blanks while tracing is off, so it is left out then).
        defaults.put(CORRELATION_PATTERN, REQUEST_ID_PATTERN + (tracing ? "%correlationId" : ""));
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }

    private static boolean jsonOutput(Environment environment) {
        String value = environment.getProperty(JSON_OUTPUT, "false").strip();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalStateException("JSON_OUTPUT must be true or false, got \"" + value + "\"");
        }
        return Boolean.parseBoolean(value);
    }
}
