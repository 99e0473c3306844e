package io.embedserve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * TEI's JSON_OUTPUT, OTLP_ENDPOINT and OTLP_SERVICE_NAME, read through the settings' declarations and the real application.yml,
 * become the Spring Boot settings that switch JSON logs and trace export on. The environment holds
 * only application.yml and the variables each test sets, so the machine's own environment cannot
 * leak in.
 */
class ObservabilitySettingsTest {

    static ConfigurableEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("variables", variables));
        try {
            new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                    .forEach(environment.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        new SettingsEnvironment().postProcessEnvironment(environment, new SpringApplication());
        new ObservabilitySettings().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void byDefaultLogsArePlainTextAndOpenTelemetryIsOff() {
        ConfigurableEnvironment environment = environment(Map.of());
        assertThat(environment.getProperty("logging.structured.format.console")).isNull();
        assertThat(environment.getProperty("management.opentelemetry.enabled", Boolean.class)).isFalse();
        assertThat(environment.containsProperty("management.opentelemetry.tracing.export.otlp.endpoint")).isFalse();
        assertThat(environment.containsProperty("management.opentelemetry.resource-attributes.service.name")).isFalse();
    }

    @Test
    void jsonOutputTrueLogsInElasticCommonSchemaWithoutTheBanner() {
        assertThat(environment(Map.of("JSON_OUTPUT", "true")).getProperty("logging.structured.format.console"))
                .isEqualTo("ecs");
        assertThat(environment(Map.of("JSON_OUTPUT", "true")).getProperty("spring.main.banner-mode")).isEqualTo("off");
        assertThat(environment(Map.of()).getProperty("spring.main.banner-mode")).isNull();
        assertThat(environment(Map.of("JSON_OUTPUT", "TRUE")).getProperty("logging.structured.format.console"))
                .isEqualTo("ecs");
        assertThat(environment(Map.of("JSON_OUTPUT", "false")).getProperty("logging.structured.format.console"))
                .isNull();
    }

    /** Logback's %replace turns a request id into "[id] " and leaves nothing when there is none. */
    @Test
    void textLinesNameTheRequestAndWithTracingOnTheTraceAndSpan() {
        assertThat(environment(Map.of()).getProperty("logging.pattern.correlation"))
                .isEqualTo("%replace(%X{requestId}){'(.+)', '[$1] '}");
        assertThat(environment(Map.of("OTLP_ENDPOINT", "http://c:4317")).getProperty("logging.pattern.correlation"))
                .isEqualTo("%replace(%X{requestId}){'(.+)', '[$1] '}%correlationId");
    }

    @Test
    void springBootsOwnFormatSettingWinsOverJsonOutput() {
        ConfigurableEnvironment environment = environment(Map.of("JSON_OUTPUT", "true",
                "logging.structured.format.console", "logstash"));
        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("logstash");
    }

    @Test
    void aJsonOutputThatIsNotABooleanStopsTheStartWithItsName() {
        assertThatThrownBy(() -> environment(Map.of("JSON_OUTPUT", "yes")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("JSON_OUTPUT must be true or false, got \"yes\"");
    }

    @Test
    void otlpEndpointTurnsOpenTelemetryOnAndExportsOverGrpcAsTeiDoes() {
        ConfigurableEnvironment environment = environment(Map.of("OTLP_ENDPOINT", "http://otel-collector:4317"));
        assertThat(environment.getProperty("management.opentelemetry.enabled", Boolean.class)).isTrue();
        assertThat(environment.getProperty("management.opentelemetry.tracing.export.otlp.endpoint"))
                .isEqualTo("http://otel-collector:4317");
        assertThat(environment.getProperty("management.opentelemetry.tracing.export.otlp.transport"))
                .isEqualTo("grpc");
        assertThat(environment.getProperty("management.tracing.sampling.probability", Double.class)).isEqualTo(1.0);
    }

    @Test
    void aBlankOtlpEndpointLeavesTracingOff() {
        ConfigurableEnvironment environment = environment(Map.of("OTLP_ENDPOINT", "  "));
        assertThat(environment.getProperty("management.opentelemetry.enabled", Boolean.class)).isFalse();
        assertThat(environment.containsProperty("management.opentelemetry.tracing.export.otlp.endpoint")).isFalse();
    }

    /** Spring Boot maps OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL to these. */
    @Test
    void openTelemetrysOwnEndpointAndProtocolWorkToo() {
        ConfigurableEnvironment environment = environment(Map.of(
                "management.opentelemetry.tracing.export.otlp.endpoint", "http://collector:4318/v1/traces"));
        assertThat(environment.getProperty("management.opentelemetry.enabled", Boolean.class)).isTrue();
        for (String variable : new String[] {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"}) {
            assertThat(environment(Map.of(variable, "http://collector:4318"))
                    .getProperty("management.opentelemetry.enabled", Boolean.class)).as(variable).isTrue();
        }
        ConfigurableEnvironment both = environment(Map.of("OTLP_ENDPOINT", "http://collector:4318/v1/traces",
                "management.opentelemetry.tracing.export.otlp.transport", "http"));
        assertThat(both.getProperty("management.opentelemetry.tracing.export.otlp.transport")).isEqualTo("http");
    }

    @Test
    void anExplicitSwitchWinsOverTheEndpointRule() {
        assertThat(environment(Map.of("management.opentelemetry.enabled", "true"))
                .getProperty("management.opentelemetry.enabled", Boolean.class)).isTrue();
        assertThat(environment(Map.of("OTLP_ENDPOINT", "http://c:4317", "management.opentelemetry.enabled", "false"))
                .getProperty("management.opentelemetry.enabled", Boolean.class)).isFalse();
    }

    @Test
    void otlpServiceNameNamesTheService() {
        assertThat(environment(Map.of("OTLP_SERVICE_NAME", "embeddings-eu"))
                .getProperty("management.opentelemetry.resource-attributes.service.name")).isEqualTo("embeddings-eu");
    }
}
